using System.Globalization;
using System.Text.RegularExpressions;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Testing;
using AuditWatch.Rules.Yaml;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Loading;

/// <summary>Reads one rule mapping into a <see cref="Rule"/>, reporting every problem rather than stopping at the first.</summary>
internal sealed partial class RuleReader(string file, NamedLists lists, Diagnostics diagnostics)
{
    private static readonly HashSet<string> CommonKeys =
    [
        "id", "title", "description", "severity", "kind", "enabled", "labels", "runbook", "where", "except", "group_by",
        "suppress", "escalate", "tests", "lists",
    ];

    private static readonly Dictionary<RuleKind, string[]> KindKeys = new()
    {
        [RuleKind.Match] = [],
        [RuleKind.Threshold] = ["window", "threshold"],
        [RuleKind.Distinct] = ["window", "threshold", "count_distinct"],
        [RuleKind.FirstSeen] = ["key", "learn"],
        [RuleKind.Sequence] = ["window", "steps"],
        [RuleKind.Spike] = ["window", "baseline", "factor", "min_count"],
    };

    private static readonly string[] AllKindKeys = [.. KindKeys.Values.SelectMany(k => k).Distinct()];

    private readonly ConditionCompiler _conditions = new(lists, diagnostics);

    public Rule? Read(YamlMappingNode map)
    {
        var errorsBefore = diagnostics.Count;
        map.RejectUnknownKeys(new HashSet<string>(CommonKeys.Concat(AllKindKeys)), "a rule", diagnostics);

        var id = Required(map, "id");
        if (id is not null && !IdPattern().IsMatch(id))
        {
            diagnostics.Add(map.Get("id")!, $"id '{id}' may hold only letters, digits, '-', '_' and '.'");
        }

        var title = Required(map, "title");
        var severity = ReadSeverity(map.Get("severity"), required: true);
        var kind = ReadKind(map.Get("kind"));
        if (kind is { } k)
        {
            RequireKindKeys(map, k);
        }

        var where = map.Get("where") is { } whereNode ? _conditions.Compile(whereNode, "where") : TrueCondition.Instance;
        var except = ReadExcept(map.Get("except"));
        var groupBy = map.Get("group_by") is { } groupNode ? ReadFields(groupNode, "group_by") : [UserField];
        var window = map.Get("window").Duration("window", diagnostics) ?? TimeSpan.Zero;
        var suppress = map.Get("suppress").Duration("suppress", diagnostics);
        var rule = new Rule
        {
            Id = id ?? string.Empty,
            Title = title ?? string.Empty,
            Description = map.Get("description").Scalar("description", diagnostics)?.Trim() ?? string.Empty,
            Severity = severity ?? Severity.Medium,
            Kind = kind ?? RuleKind.Match,
            Enabled = map.Get("enabled").Boolean("enabled", diagnostics) ?? true,
            Labels = ReadLabels(map.Get("labels")),
            RunbookUrl = ReadUrl(map.Get("runbook")),
            Where = where ?? TrueCondition.Instance,
            Except = except,
            GroupBy = groupBy,
            Window = window,
            Threshold = map.Get("threshold") is { } thresholdNode ? ReadThresholds(thresholdNode) : null,
            CountDistinct = map.Get("count_distinct") is { } distinctNode ? ReadField(distinctNode, "count_distinct") : null,
            Escalations = ReadEscalations(map.Get("escalate")),
            Suppress = suppress ?? (window > TimeSpan.Zero ? window : TimeSpan.FromMinutes(10)),
            Key = map.Get("key") is { } keyNode ? ReadFields(keyNode, "key") : [],
            Learn = map.Get("learn").Duration("learn", diagnostics) ?? TimeSpan.Zero,
            Steps = ReadSteps(map.Get("steps")),
            Baseline = map.Get("baseline").Duration("baseline", diagnostics) ?? TimeSpan.Zero,
            Factor = map.Get("factor").PositiveNumber("factor", diagnostics) ?? 0,
            MinCount = map.Get("min_count").PositiveInteger("min_count", diagnostics) ?? 0,
            SourceFile = file,
        };

        if (rule.Kind == RuleKind.Spike && rule.Baseline > TimeSpan.Zero && rule.Baseline / 2 < rule.Window)
        {
            diagnostics.Add(map.Get("baseline")!, "baseline must be at least twice the window, so that it holds a history to compare with");
        }

        if (map.Get("tests") is { } tests)
        {
            rule = rule with { Tests = new TestCaseReader(file, diagnostics).Read(tests) };
        }

        return diagnostics.Count == errorsBefore ? rule : null;
    }

    private static Field UserField => FieldCatalog.TryGet("user", out var user) ? user : throw new InvalidOperationException("the user field is missing");

    private string? Required(YamlMappingNode map, string key)
    {
        var node = map.Get(key);
        if (node is null)
        {
            diagnostics.Add(map, $"a rule needs '{key}'");
            return null;
        }

        var value = node.Scalar(key, diagnostics);
        if (string.IsNullOrWhiteSpace(value))
        {
            diagnostics.Add(node, $"'{key}' must not be empty");
            return null;
        }

        return value;
    }

    private void RequireKindKeys(YamlMappingNode map, RuleKind kind)
    {
        var needed = KindKeys[kind];
        foreach (var key in needed.Where(key => map.Get(key) is null))
        {
            diagnostics.Add(map, $"a {KindName(kind)} rule needs '{key}'");
        }

        foreach (var key in AllKindKeys.Except(needed))
        {
            if (map.Get(key) is { } stray && !(key == "window" && kind == RuleKind.FirstSeen))
            {
                diagnostics.Add(stray, $"'{key}' does not apply to a {KindName(kind)} rule");
            }
        }
    }

    private Severity? ReadSeverity(YamlNode? node, bool required)
    {
        if (node is null)
        {
            return null;
        }

        var text = node.Scalar("severity", diagnostics);
        if (text is not null && SeverityNames.TryParse(text, out var severity))
        {
            return severity;
        }

        if (text is not null || required)
        {
            diagnostics.Add(node, $"severity must be one of info, low, medium, high, critical, not '{text}'");
        }

        return null;
    }

    private RuleKind? ReadKind(YamlNode? node)
    {
        if (node is null)
        {
            return RuleKind.Match;
        }

        var text = node.Scalar("kind", diagnostics);
        foreach (var kind in Enum.GetValues<RuleKind>())
        {
            if (KindName(kind) == text)
            {
                return kind;
            }
        }

        diagnostics.Add(node, $"kind must be one of {string.Join(", ", Enum.GetValues<RuleKind>().Select(KindName))}, not '{text}'");
        return null;
    }

    public static string KindName(RuleKind kind) => kind == RuleKind.FirstSeen ? "first_seen" : kind.ToString().ToLowerInvariant();

    private IReadOnlyList<Condition> ReadExcept(YamlNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            return _conditions.Compile(node, "except") is { } single ? [single] : [];
        }

        return [.. sequence.Children.Select(child => _conditions.Compile(child, "except")).OfType<Condition>()];
    }

    private Field? ReadField(YamlNode node, string what)
    {
        var name = node.Scalar(what, diagnostics);
        if (name is null)
        {
            return null;
        }

        if (FieldCatalog.TryGet(name, out var field))
        {
            return field;
        }

        diagnostics.Add(node, $"unknown field '{name}' in {what} (see docs/rules.md for the fields rules can use)");
        return null;
    }

    private IReadOnlyList<Field> ReadFields(YamlNode node, string what)
    {
        var fields = node.Scalars(what, diagnostics).Select(v => ReadField(v.Node, what)).ToList();
        if (fields.Count == 0)
        {
            diagnostics.Add(node, $"{what} needs at least one field");
        }

        return [.. fields.OfType<Field>()];
    }

    private Thresholds? ReadThresholds(YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            return node.PositiveInteger("threshold", diagnostics) is { } single ? new Thresholds(single, new Dictionary<IdentityKind, int>()) : null;
        }

        if (node.Mapping("threshold", diagnostics) is not { } map)
        {
            return null;
        }

        int? fallback = null;
        var byKind = new Dictionary<IdentityKind, int>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = keyNode.Scalar("threshold key", diagnostics);
            var value = valueNode.PositiveInteger($"threshold {key}", diagnostics);
            if (key == "default")
            {
                fallback = value;
            }
            else if (Enum.GetValues<IdentityKind>().FirstOrDefault(k => FieldCatalog.KindName(k) == key) is var kind && FieldCatalog.KindName(kind) == key)
            {
                if (value is { } v)
                {
                    byKind[kind] = v;
                }
            }
            else
            {
                diagnostics.Add(keyNode, $"threshold key '{key}' must be default or a kind of identity: human, service_account, node, control_plane, anonymous");
            }
        }

        if (fallback is null)
        {
            diagnostics.Add(map, "threshold needs a 'default'");
            return null;
        }

        return new Thresholds(fallback.Value, byKind);
    }

    private IReadOnlyList<Escalation> ReadEscalations(YamlNode? node)
    {
        if (node.Sequence("escalate", diagnostics) is not { } sequence)
        {
            return [];
        }

        var escalations = new List<Escalation>();
        foreach (var child in sequence.Children)
        {
            if (child.Mapping("an escalation", diagnostics) is not { } map)
            {
                continue;
            }

            map.RejectUnknownKeys(new HashSet<string> { "severity", "count_at_least", "distinct_at_least", "namespaces_at_least" }, "an escalation", diagnostics);
            var severity = ReadSeverity(map.Get("severity") ?? map, required: true);
            var count = map.Get("count_at_least").PositiveInteger("count_at_least", diagnostics);
            var distinct = map.Get("distinct_at_least").PositiveInteger("distinct_at_least", diagnostics);
            var namespaces = map.Get("namespaces_at_least").PositiveInteger("namespaces_at_least", diagnostics);
            if (count is null && distinct is null && namespaces is null)
            {
                diagnostics.Add(map, "an escalation needs count_at_least, distinct_at_least or namespaces_at_least");
            }
            else if (severity is { } s)
            {
                escalations.Add(new Escalation(s, count, distinct, namespaces));
            }
        }

        return escalations;
    }

    private IReadOnlyList<SequenceStep> ReadSteps(YamlNode? node)
    {
        if (node.Sequence("steps", diagnostics) is not { } sequence)
        {
            return [];
        }

        if (sequence.Children.Count != 2)
        {
            diagnostics.Add(sequence, "steps must hold exactly two steps: the first event, then the one that follows it");
        }

        var steps = new List<SequenceStep>();
        foreach (var child in sequence.Children)
        {
            if (child.Mapping("a step", diagnostics) is not { } map)
            {
                continue;
            }

            map.RejectUnknownKeys(new HashSet<string> { "name", "where", "key" }, "a step", diagnostics);
            var name = map.Get("name").Scalar("name", diagnostics) ?? $"step {steps.Count + 1}";
            var where = map.Get("where") is { } whereNode ? _conditions.Compile(whereNode, "where") : null;
            var key = map.Get("key") is { } keyNode ? ReadFields(keyNode, "key") : [];
            if (map.Get("where") is null)
            {
                diagnostics.Add(map, $"step '{name}' needs 'where'");
            }

            if (map.Get("key") is null)
            {
                diagnostics.Add(map, $"step '{name}' needs 'key': the fields that join it to the other step");
            }

            if (where is not null)
            {
                steps.Add(new SequenceStep(name, where, key));
            }
        }

        if (steps.Count == 2 && steps[0].Key.Count != steps[1].Key.Count)
        {
            diagnostics.Add(sequence, "both steps need the same number of key fields");
        }

        return steps;
    }

    private IReadOnlyDictionary<string, string> ReadLabels(YamlNode? node)
    {
        if (node.Mapping("labels", diagnostics) is not { } map)
        {
            return new Dictionary<string, string>();
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            if (key.Scalar("label name", diagnostics) is { } name && value.Scalar($"label {name}", diagnostics) is { } text)
            {
                labels[name] = text;
            }
        }

        return labels;
    }

    private string? ReadUrl(YamlNode? node)
    {
        var text = node.Scalar("runbook", diagnostics);
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
        {
            return text;
        }

        diagnostics.Add(node!, $"runbook must be an http(s) URL, not '{text}'");
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
