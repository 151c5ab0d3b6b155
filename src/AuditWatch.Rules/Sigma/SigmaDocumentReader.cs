using System.Text.RegularExpressions;
using AuditWatch.Core.Alerts;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Testing;
using AuditWatch.Rules.Yaml;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Sigma;

/// <summary>Reads one Sigma YAML document: a detection rule or a correlation rule, reporting every problem with its place.</summary>
internal sealed partial class SigmaDocumentReader(string file, string fileText, Diagnostics diagnostics)
{
    private static readonly Dictionary<string, Severity> Levels = new(StringComparer.Ordinal)
    {
        ["informational"] = Severity.Info,
        ["low"] = Severity.Low,
        ["medium"] = Severity.Medium,
        ["high"] = Severity.High,
        ["critical"] = Severity.Critical,
    };

    private static readonly Dictionary<string, SigmaCorrelationType> Types = new(StringComparer.Ordinal)
    {
        ["event_count"] = SigmaCorrelationType.EventCount,
        ["value_count"] = SigmaCorrelationType.ValueCount,
        ["temporal"] = SigmaCorrelationType.Temporal,
        ["temporal_ordered"] = SigmaCorrelationType.TemporalOrdered,
    };

    public object? Read(YamlMappingNode root)
    {
        var errorsBefore = diagnostics.Count;
        var header = ReadHeader(root);
        object? document = root.Get("correlation") is { } correlation
            ? ReadCorrelation(header, correlation, root)
            : root.Get("detection") is { } detection
                ? ReadDetection(header, detection, root)
                : Report(root, "a Sigma rule needs 'detection' (or 'correlation' for a correlation rule)");
        return diagnostics.Count == errorsBefore ? document : null;
    }

    private object? Report(YamlNode node, string message)
    {
        diagnostics.Add(node, message);
        return null;
    }

    private SigmaHeader ReadHeader(YamlMappingNode root)
    {
        var title = root.Get("title").Scalar("title", diagnostics);
        if (string.IsNullOrWhiteSpace(title))
        {
            diagnostics.Add(root.Get("title") ?? root, "a Sigma rule needs a 'title'");
        }

        var id = root.Get("id").Scalar("id", diagnostics);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            diagnostics.Add(root.Get("id")!, $"id '{id}' may hold only letters, digits, '-', '_' and '.'");
        }

        Severity? level = null;
        if (root.Get("level") is { } levelNode && levelNode.Scalar("level", diagnostics) is { } levelText)
        {
            if (Levels.TryGetValue(levelText, out var parsed))
            {
                level = parsed;
            }
            else
            {
                diagnostics.Add(levelNode, $"level must be one of {string.Join(", ", Levels.Keys)}, not '{levelText}'");
            }
        }

        var tests = root.Get("tests") is { } testsNode ? new TestCaseReader(file, diagnostics).Read(testsNode) : [];
        return new SigmaHeader(
            file,
            fileText,
            root,
            id,
            root.Get("name").Scalar("name", diagnostics),
            title ?? string.Empty,
            Describe(root),
            level,
            Text(root, "author"),
            [.. Texts(root.Get("tags"))],
            tests);
    }

    private string Describe(YamlMappingNode root)
    {
        var parts = new List<string>();
        if (root.Get("description") is YamlScalarNode { Value: { } description })
        {
            parts.Add(description.Trim());
        }

        var falsePositives = Texts(root.Get("falsepositives")).ToList();
        if (falsePositives.Count > 0)
        {
            parts.Add("False positives: " + string.Join("; ", falsePositives) + ".");
        }

        var references = Texts(root.Get("references")).ToList();
        if (references.Count > 0)
        {
            parts.Add("References: " + string.Join(" ", references));
        }

        var origin = new[] { Text(root, "author") is { } a ? "by " + a : null, Text(root, "status") is { } s ? "status " + s : null }
            .OfType<string>().ToList();
        parts.Add("Sigma rule" + (origin.Count > 0 ? " (" + string.Join(", ", origin) + ")" : string.Empty) + ".");
        return string.Join("\n", parts);
    }

    private static string? Text(YamlMappingNode root, string key) => root.Get(key) is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static IEnumerable<string> Texts(YamlNode? node) => node switch
    {
        YamlScalarNode { Value: { } single } => [single],
        YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty),
        _ => [],
    };

    private SigmaDetection? ReadDetection(SigmaHeader header, YamlNode detectionNode, YamlMappingNode root)
    {
        CheckLogSource(root);
        if (detectionNode.Mapping("detection", diagnostics) is not { } detection)
        {
            return null;
        }

        if (detection.Get("timeframe") is { } timeframe)
        {
            diagnostics.Add(timeframe, "'timeframe' belongs to Sigma's deprecated aggregations and is not supported: write a correlation rule with 'timespan' instead");
        }

        var selections = new SigmaSelectionCompiler(diagnostics);
        var identifiers = new Dictionary<string, Condition>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in detection.Children)
        {
            var key = keyNode.Scalar("search identifier", diagnostics);
            if (key is null or "condition" or "timeframe")
            {
                continue;
            }

            // A selection with errors (already reported) still counts as defined, so the condition adds no second error.
            identifiers[key] = selections.Compile(key, valueNode) ?? TrueCondition.Instance;
        }

        if (detection.Get("condition") is not { } conditionNode)
        {
            diagnostics.Add(detection, "detection needs a 'condition'");
            return null;
        }

        var conditions = conditionNode switch
        {
            YamlScalarNode scalar => [SigmaConditionParser.Parse(scalar, identifiers, diagnostics)],
            YamlSequenceNode { Children.Count: > 0 } list when list.Children.All(c => c is YamlScalarNode) =>
                list.Children.Cast<YamlScalarNode>().Select(s => SigmaConditionParser.Parse(s, identifiers, diagnostics)).ToList(),
            _ => Invalid(conditionNode),
        };
        if (conditions.Count == 0 || conditions.Any(c => c is null))
        {
            return null;
        }

        // A list of conditions is the deprecated form of "any of them".
        var condition = conditions.Count == 1 ? conditions[0]! : new AnyCondition(conditions!);
        return new SigmaDetection(header, condition);
    }

    private List<Condition?> Invalid(YamlNode node)
    {
        diagnostics.Add(node, "condition must be an expression such as 'selection and not filter'");
        return [];
    }

    private void CheckLogSource(YamlMappingNode root)
    {
        if (root.Get("logsource").Mapping("logsource", diagnostics) is not { } logsource)
        {
            diagnostics.Add(root, "a Sigma rule needs 'logsource' (AuditWatch reads product: kubernetes, service: audit)");
            return;
        }

        var product = logsource.Get("product").Scalar("product", diagnostics);
        var service = logsource.Get("service").Scalar("service", diagnostics);
        if (!string.Equals(product, "kubernetes", StringComparison.OrdinalIgnoreCase) || !string.Equals(service, "audit", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(logsource, $"logsource product '{product}', service '{service}' is not supported: AuditWatch reads Kubernetes audit events (product: kubernetes, service: audit)");
        }
    }

    private SigmaCorrelation? ReadCorrelation(SigmaHeader header, YamlNode node, YamlMappingNode root)
    {
        if (node.Mapping("correlation", diagnostics) is not { } correlation)
        {
            return null;
        }

        correlation.RejectUnknownKeys(
            new HashSet<string> { "type", "rules", "group-by", "timespan", "timeframe", "condition", "aliases", "generate" }, "a correlation", diagnostics);
        var typeText = correlation.Get("type").Scalar("type", diagnostics);
        SigmaCorrelationType? type = null;
        if (typeText is null)
        {
            diagnostics.Add(correlation, "a correlation needs 'type': event_count, value_count, temporal or temporal_ordered");
        }
        else if (Types.TryGetValue(typeText, out var parsed))
        {
            type = parsed;
        }
        else
        {
            diagnostics.Add(correlation.Get("type")!, $"correlation type '{typeText}' is not supported (supported: {string.Join(", ", Types.Keys)})");
        }

        var rules = correlation.Get("rules").Scalars("rules", diagnostics);
        if (rules.Count == 0)
        {
            diagnostics.Add(correlation.Get("rules") ?? correlation, "a correlation needs 'rules': the ids or names of the rules it correlates");
        }

        var groupBy = correlation.Get("group-by").Scalars("group-by", diagnostics);
        if (groupBy.Count == 0)
        {
            diagnostics.Add(correlation.Get("group-by") ?? correlation, "a correlation needs 'group-by': the fields whose values must be the same");
        }

        var timespanNode = correlation.Get("timespan") ?? correlation.Get("timeframe");
        var timespan = timespanNode.Duration("timespan", diagnostics);
        if (timespanNode is null)
        {
            diagnostics.Add(correlation, "a correlation needs 'timespan' such as 5m or 1h");
        }

        var (atLeast, field) = ReadCondition(correlation.Get("condition"), type, rules.Count, correlation);
        var generate = (correlation.Get("generate") ?? root.Get("generate")).Boolean("generate", diagnostics) ?? false;
        if (type is null || timespan is null)
        {
            return null;
        }

        return new SigmaCorrelation(
            header,
            type.Value,
            [.. rules.Select(r => (r.Value, r.Node))],
            [.. groupBy.Select(g => (g.Value, g.Node))],
            timespan.Value,
            atLeast,
            field,
            ReadAliases(correlation.Get("aliases")),
            generate);
    }

    /// <summary>
    /// The count a correlation must reach. Only lower bounds can be judged on a live stream the moment they are met; an
    /// upper bound or an exact count would need the window's final count, so they are reported.
    /// </summary>
    private (int? AtLeast, (string, YamlNode)? Field) ReadCondition(YamlNode? node, SigmaCorrelationType? type, int ruleCount, YamlMappingNode correlation)
    {
        var temporal = type is SigmaCorrelationType.Temporal or SigmaCorrelationType.TemporalOrdered;
        if (node is null)
        {
            if (!temporal && type is not null)
            {
                diagnostics.Add(correlation, "an event_count or value_count correlation needs 'condition' such as gte: 10");
            }

            return (null, null);
        }

        if (node.Mapping("condition", diagnostics) is not { } map)
        {
            return (null, null);
        }

        int? atLeast = null;
        (string, YamlNode)? field = null;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = keyNode.Scalar("condition key", diagnostics);
            switch (key)
            {
                case "gte" or "gt":
                    if (valueNode.PositiveInteger(key, diagnostics) is { } bound)
                    {
                        if (key == "gt" && bound == int.MaxValue)
                        {
                            diagnostics.Add(valueNode, $"'gt' must be below {int.MaxValue}: no count can pass it");
                        }
                        else
                        {
                            atLeast = key == "gt" ? bound + 1 : bound;
                        }
                    }

                    break;
                case "lt" or "lte" or "eq":
                    diagnostics.Add(keyNode, $"condition '{key}' is not supported: a live stream can tell the moment a count reaches a lower bound (gte, gt), but an upper bound or an exact count needs the window's final count");
                    break;
                case "field":
                    if (type != SigmaCorrelationType.ValueCount)
                    {
                        diagnostics.Add(keyNode, "'field' belongs to value_count correlations");
                    }
                    else if (valueNode.Scalar("field", diagnostics) is { } name)
                    {
                        field = (name, valueNode);
                    }

                    break;
                default:
                    diagnostics.Add(keyNode, $"unknown key '{key}' in a correlation condition (expected gte, gt, field)");
                    break;
            }
        }

        if (atLeast is null && map.Children.Keys.OfType<YamlScalarNode>().All(k => k.Value is "field"))
        {
            diagnostics.Add(map, "condition needs a lower bound: gte or gt");
        }

        if (type == SigmaCorrelationType.ValueCount && field is null)
        {
            diagnostics.Add(map, "a value_count condition needs 'field': the field whose distinct values are counted");
        }

        if (type == SigmaCorrelationType.TemporalOrdered && atLeast is { } required && required != ruleCount)
        {
            diagnostics.Add(map, $"a temporal_ordered correlation needs all {ruleCount} rules in order; a condition of {required} is not supported");
        }

        if (type == SigmaCorrelationType.Temporal && atLeast > ruleCount)
        {
            diagnostics.Add(map, $"condition asks for {atLeast} different rules but the correlation names {ruleCount}");
        }

        return (atLeast, field);
    }

    private Dictionary<string, IReadOnlyDictionary<string, string>> ReadAliases(YamlNode? node)
    {
        var aliases = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (node.Mapping("aliases", diagnostics) is not { } map)
        {
            return aliases;
        }

        foreach (var (aliasNode, fieldsNode) in map.Children)
        {
            if (aliasNode.Scalar("alias", diagnostics) is not { } alias || fieldsNode.Mapping($"alias {alias}", diagnostics) is not { } fields)
            {
                continue;
            }

            var perRule = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (ruleNode, fieldNode) in fields.Children)
            {
                if (ruleNode.Scalar("rule name", diagnostics) is { } rule && fieldNode.Scalar($"alias {alias} for {rule}", diagnostics) is { } field)
                {
                    perRule[rule] = field;
                }
            }

            aliases[alias] = perRule;
        }

        return aliases;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
