using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Yaml;

/// <summary>
/// Keeps rule files plain data: a type tag (<c>!!python/object</c>, <c>!&lt;tag:yaml.org,2002:System.Diagnostics.Process&gt;</c>)
/// is an error rather than an instruction nobody will follow, and an alias may repeat a single value but not a
/// mapping or sequence, so nested aliases (the "billion laughs") cannot make walking the rule exponential.
/// </summary>
internal static class PlainDataCheck
{
    private static readonly HashSet<string> CoreSchemaTags = new(StringComparer.Ordinal)
    {
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:map",
    };

    /// <summary>Reports each offending node; returns false if there was any.</summary>
    public static bool Check(YamlNode root, Diagnostics diagnostics)
    {
        var before = diagnostics.Count;
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<YamlNode>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific && !CoreSchemaTags.Contains(node.Tag.Value))
            {
                diagnostics.Add(node, $"YAML tag '{node.Tag.Value}' is not allowed: rule files are plain data and construct no types");
            }

            if (node is YamlScalarNode)
            {
                continue;
            }

            if (!seen.Add(node))
            {
                diagnostics.Add(node, $"YAML alias *{node.Anchor.Value} repeats a mapping or sequence; only single values may be aliased");
                continue;
            }

            // Pushed last to first, so errors come in document order.
            IEnumerable<YamlNode> children = node switch
            {
                YamlMappingNode map => map.Children.SelectMany(pair => new[] { pair.Key, pair.Value }),
                YamlSequenceNode sequence => sequence.Children,
                _ => [],
            };
            foreach (var child in children.Reverse())
            {
                pending.Push(child);
            }
        }

        return diagnostics.Count == before;
    }
}
