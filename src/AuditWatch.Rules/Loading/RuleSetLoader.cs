using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Sigma;
using AuditWatch.Rules.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Loading;

/// <summary>
/// Loads every <c>*.yaml</c>/<c>*.yml</c> file of a rules directory (not its subdirectories): named lists first, then the
/// rules, then the Sigma rules of its <c>sigma/</c> folder, collecting all errors with their file, line and column. Only the YAML node model is used, so loading can
/// never construct arbitrary types.
/// </summary>
public static class RuleSetLoader
{
    public static RuleSet Load(string directory) => RuleSources.Read(directory).Load();

    /// <summary>Adds the Sigma rules of the directory's sigma/ folder; an id may name one rule only, native or Sigma.</summary>
    public static RuleSet WithSigma(RuleSet native, IReadOnlyList<Rule> sigma, IReadOnlyList<string> sigmaFiles)
    {
        var errors = native.Errors.ToList();
        var rules = native.Rules.ToList();
        var ids = native.Rules.ToDictionary(r => r.Id, r => r.SourceFile, StringComparer.Ordinal);
        foreach (var rule in sigma)
        {
            if (ids.TryGetValue(rule.Id, out var first))
            {
                errors.Add(new RuleError(rule.SourceFile, 1, 1, $"duplicate rule id '{rule.Id}' (first defined in {first})"));
                continue;
            }

            ids[rule.Id] = rule.SourceFile;
            rules.Add(rule);
        }

        return new RuleSet(rules, native.Lists, errors, [.. native.Files, .. sigmaFiles]);
    }

    /// <summary>Loads rules from (path, text) pairs; the path is used for messages and for test fixtures.</summary>
    public static RuleSet Load(IReadOnlyList<(string Path, string Text)> sources, List<RuleError>? errors = null)
    {
        errors ??= [];
        var documents = new List<(string Path, YamlMappingNode Root, Diagnostics Diagnostics, string Text)>();
        foreach (var (path, text) in sources)
        {
            var diagnostics = new Diagnostics(path, errors);
            if (Parse(text, diagnostics) is { } root)
            {
                documents.Add((path, root, diagnostics, text));
            }
        }

        var lists = new NamedLists();
        foreach (var (_, root, diagnostics, _) in documents)
        {
            ReadLists(root.Get("lists"), lists, diagnostics);
        }

        var rules = new List<Rule>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, root, diagnostics, text) in documents)
        {
            if (root.Get("id") is null && root.Get("lists") is not null)
            {
                root.RejectUnknownKeys(new HashSet<string> { "lists" }, "a lists file", diagnostics);
                continue;
            }

            if (new RuleReader(path, lists, diagnostics).Read(root) is not { } read)
            {
                continue;
            }

            // Named lists can change a rule's meaning too, so they are part of its definition.
            var rule = read with { Definition = text + "\n" + ListsText(lists) };

            if (ids.TryGetValue(rule.Id, out var first))
            {
                diagnostics.Add(root.Get("id")!, $"duplicate rule id '{rule.Id}' (first defined in {first})");
                continue;
            }

            ids[rule.Id] = path;
            rules.Add(rule);
        }

        return new RuleSet(rules, lists, errors, [.. sources.Select(s => s.Path)]);
    }

    private static string ListsText(NamedLists lists) =>
        string.Join("\n", lists.All.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + ": " + string.Join(",", l.Value)));

    private static YamlMappingNode? Parse(string text, Diagnostics diagnostics)
    {
        try
        {
            YamlLimits.Check(text);
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1)
            {
                diagnostics.Add(1, 1, $"a rules file holds exactly one YAML document, found {stream.Documents.Count}");
                return null;
            }

            if (!PlainDataCheck.Check(stream.Documents[0].RootNode, diagnostics))
            {
                return null;
            }

            if (stream.Documents[0].RootNode is YamlMappingNode root)
            {
                return root;
            }

            diagnostics.Add(stream.Documents[0].RootNode, "a rules file must be a mapping (a rule, or lists:)");
            return null;
        }
        catch (YamlException ex)
        {
            diagnostics.Add(ex.Start.Line, ex.Start.Column, $"invalid YAML: {ex.Message}");
            return null;
        }
        catch (ArgumentException ex)
        {
            // YamlDotNet's node loader rejects some event sequences its parser accepts; YamlLimits reports those it knows.
            diagnostics.Add(1, 1, $"invalid YAML: {ex.Message}");
            return null;
        }
    }

    private static void ReadLists(YamlNode? node, NamedLists lists, Diagnostics diagnostics)
    {
        if (node.Mapping("lists", diagnostics) is not { } map)
        {
            return;
        }

        foreach (var (key, value) in map.Children)
        {
            var name = key.Scalar("list name", diagnostics);
            if (name is null)
            {
                continue;
            }

            var values = value.Scalars($"list {name}", diagnostics).Select(v => v.Value).ToList();
            if (!lists.TryAdd(name, values))
            {
                diagnostics.Add(key, $"list '{name}' is defined twice");
            }
        }
    }
}
