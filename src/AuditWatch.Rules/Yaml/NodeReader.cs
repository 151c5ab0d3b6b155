using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Yaml;

/// <summary>Typed access to YAML nodes that reports, rather than throws, what is wrong and where.</summary>
internal static class NodeReader
{
    /// <summary>Ten years: a longer window is a typo, and detection subtracts windows from event times.</summary>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3650);

    public static YamlNode? Get(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>Reports keys the schema does not know, so a typo is an error instead of a silently ignored setting.</summary>
    public static void RejectUnknownKeys(this YamlMappingNode map, IReadOnlySet<string> known, string where, Diagnostics diagnostics)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name } || !known.Contains(name))
            {
                var shown = key is YamlScalarNode scalar ? scalar.Value : key.NodeType.ToString();
                diagnostics.Add(key, $"unknown key '{shown}' in {where} (expected one of: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    public static string? Scalar(this YamlNode? node, string what, Diagnostics diagnostics)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode scalar:
                return scalar.Value;
            default:
                diagnostics.Add(node, $"{what} must be a single value, not a {Describe(node)}");
                return null;
        }
    }

    public static bool? Boolean(this YamlNode? node, string what, Diagnostics diagnostics)
    {
        var text = node.Scalar(what, diagnostics);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        diagnostics.Add(node!, $"{what} must be true or false, not '{text}'");
        return null;
    }

    public static int? PositiveInteger(this YamlNode? node, string what, Diagnostics diagnostics)
    {
        var text = node.Scalar(what, diagnostics);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        diagnostics.Add(node!, $"{what} must be a positive whole number, not '{text}'");
        return null;
    }

    public static double? PositiveNumber(this YamlNode? node, string what, Diagnostics diagnostics)
    {
        var text = node.Scalar(what, diagnostics);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value))
        {
            return value;
        }

        diagnostics.Add(node!, $"{what} must be a positive number, not '{text}'");
        return null;
    }

    public static TimeSpan? Duration(this YamlNode? node, string what, Diagnostics diagnostics)
    {
        var text = node.Scalar(what, diagnostics);
        if (text is null)
        {
            return null;
        }

        if (Durations.TryParse(text, out var value) && value > TimeSpan.Zero && value <= MaxDuration)
        {
            return value;
        }

        diagnostics.Add(node!, value > MaxDuration
            ? $"{what} must be at most 3650d, not '{text}'"
            : $"{what} must be a positive duration such as 90s, 5m, 1h30m or 7d, not '{text}'");
        return null;
    }

    /// <summary>A list of scalars; a single scalar is taken as a list of one.</summary>
    public static IReadOnlyList<(string Value, YamlNode Node)> Scalars(this YamlNode? node, string what, Diagnostics diagnostics)
    {
        switch (node)
        {
            case null:
                return [];
            case YamlScalarNode scalar:
                return [(scalar.Value ?? string.Empty, scalar)];
            case YamlSequenceNode sequence:
                var values = new List<(string, YamlNode)>();
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode s)
                    {
                        values.Add((s.Value ?? string.Empty, s));
                    }
                    else
                    {
                        diagnostics.Add(item, $"{what} must hold single values, not a {Describe(item)}");
                    }
                }

                return values;
            default:
                diagnostics.Add(node, $"{what} must be a value or a list of values, not a {Describe(node)}");
                return [];
        }
    }

    public static YamlMappingNode? Mapping(this YamlNode? node, string what, Diagnostics diagnostics)
    {
        if (node is null or YamlMappingNode)
        {
            return node as YamlMappingNode;
        }

        diagnostics.Add(node, $"{what} must be a mapping of keys to values, not a {Describe(node)}");
        return null;
    }

    public static YamlSequenceNode? Sequence(this YamlNode? node, string what, Diagnostics diagnostics)
    {
        if (node is null or YamlSequenceNode)
        {
            return node as YamlSequenceNode;
        }

        diagnostics.Add(node, $"{what} must be a list, not a {Describe(node)}");
        return null;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}
