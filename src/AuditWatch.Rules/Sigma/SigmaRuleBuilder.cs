using System.Text.RegularExpressions;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Yaml;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Sigma;

/// <summary>
/// Turns Sigma documents into native rules: a detection rule alerts on each match (kind match, per identity); a
/// correlation becomes a threshold (event_count), distinct (value_count) or sequence (temporal, temporal_ordered) rule
/// on the same event-time engine. Rules a correlation refers to do not alert on their own unless it says generate: true.
/// </summary>
internal sealed partial class SigmaRuleBuilder(Func<string, Diagnostics> diagnosticsFor)
{
    private static readonly TimeSpan DefaultSuppress = TimeSpan.FromMinutes(10);

    public List<Rule> Build(IReadOnlyList<SigmaDetection> detections, IReadOnlyList<SigmaCorrelation> correlations, IReadOnlySet<string> referencedByInvalid)
    {
        var byReference = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var document in detections.Select(d => (d.Header, (object)d)).Concat(correlations.Select(c => (c.Header, (object)c))))
        {
            foreach (var key in new[] { document.Header.Id, document.Header.Name }.OfType<string>().Distinct(StringComparer.Ordinal))
            {
                if (!byReference.TryAdd(key, document.Item2))
                {
                    var node = document.Header.Root.Get(key == document.Header.Id ? "id" : "name") ?? document.Header.Root;
                    diagnosticsFor(document.Header.File).Add(node, $"Sigma id or name '{key}' is used by two rules");
                }
            }
        }

        var rules = new List<Rule>();
        var referenced = new HashSet<SigmaDetection>();
        var generated = new HashSet<SigmaDetection>();
        foreach (var correlation in correlations)
        {
            var parts = Resolve(correlation, byReference);
            if (parts is null)
            {
                continue;
            }

            referenced.UnionWith(parts);
            if (correlation.Generate)
            {
                generated.UnionWith(parts);
            }

            if (Correlation(correlation, parts) is { } rule)
            {
                rules.Add(rule);
            }
        }

        referenced.UnionWith(detections.Where(d => referencedByInvalid.Contains(d.Header.Id ?? string.Empty) || referencedByInvalid.Contains(d.Header.Name ?? string.Empty)));
        foreach (var detection in detections.Where(d => !referenced.Contains(d) || generated.Contains(d)))
        {
            if (detection.Header.Id is null)
            {
                diagnosticsFor(detection.Header.File).Add(detection.Header.Root, "a Sigma rule that alerts on its own needs an 'id': alerts carry it in 'rule'");
                continue;
            }

            rules.Add(Base(detection.Header, RuleKind.Match) with
            {
                Severity = detection.Header.Level ?? Severity.Medium,
                Where = detection.Condition,
                GroupBy = [NativeField("user")],
                Suppress = DefaultSuppress,
                Definition = detection.Header.FileText,
            });
        }

        return rules;
    }

    private List<SigmaDetection>? Resolve(SigmaCorrelation correlation, Dictionary<string, object> byReference)
    {
        var diagnostics = diagnosticsFor(correlation.Header.File);
        var parts = new List<SigmaDetection>();
        foreach (var (reference, node) in correlation.Rules)
        {
            switch (byReference.GetValueOrDefault(reference))
            {
                case SigmaDetection detection:
                    parts.Add(detection);
                    break;
                case SigmaCorrelation:
                    diagnostics.Add(node, $"rule '{reference}' is itself a correlation: chains of correlations are not supported");
                    return null;
                default:
                    diagnostics.Add(node, $"correlation refers to '{reference}', which is no Sigma rule id or name in this rules directory");
                    return null;
            }
        }

        return parts.Count > 0 ? parts : null;
    }

    private Rule? Correlation(SigmaCorrelation correlation, List<SigmaDetection> parts)
    {
        var diagnostics = diagnosticsFor(correlation.Header.File);
        if (correlation.Header.Id is null)
        {
            diagnostics.Add(correlation.Header.Root, "a Sigma correlation needs an 'id': alerts carry it in 'rule'");
            return null;
        }

        var errorsBefore = diagnostics.Count;
        var where = parts.Count == 1 ? parts[0].Condition : new AnyCondition([.. parts.Select(p => (Condition)new NamedCondition(NameOf(p), p.Condition))]);
        var severity = correlation.Header.Level ?? parts.Max(p => p.Header.Level) ?? Severity.Medium;
        var rule = Base(correlation.Header, RuleKind.Match) with
        {
            Severity = severity,
            Window = correlation.Timespan,
            Suppress = correlation.Timespan,
            Where = where,
            Definition = string.Join("\n---\n", parts.Select(p => p.Header.FileText).Prepend(correlation.Header.FileText).Distinct(StringComparer.Ordinal)),
        };

        switch (correlation.Type)
        {
            case SigmaCorrelationType.EventCount or SigmaCorrelationType.ValueCount:
                var groupBy = correlation.GroupBy.Select(g => GroupField(g.Name, g.Node, correlation, parts)).ToList();
                var distinct = correlation.Field is { } f ? GroupField(f.Name, f.Node, correlation, parts) : null;
                if (diagnostics.Count != errorsBefore || correlation.AtLeast is not { } count)
                {
                    return null;
                }

                return rule with
                {
                    Kind = correlation.Type == SigmaCorrelationType.EventCount ? RuleKind.Threshold : RuleKind.Distinct,
                    GroupBy = groupBy!,
                    Threshold = new Thresholds(count, new Dictionary<IdentityKind, int>()),
                    CountDistinct = distinct,
                };
            default:
                var steps = parts.Select(part => new SequenceStep(
                    part.Header.Title,
                    part.Condition,
                    [.. correlation.GroupBy.Select(g => StepField(g.Name, g.Node, correlation, part)).OfType<Field>()])).ToList();
                if (diagnostics.Count != errorsBefore)
                {
                    return null;
                }

                return rule with
                {
                    Kind = RuleKind.Sequence,
                    Where = TrueCondition.Instance,
                    GroupBy = steps[0].Key,
                    Steps = steps,
                    OrderedSteps = correlation.Type == SigmaCorrelationType.TemporalOrdered,
                    StepsRequired = correlation.AtLeast ?? parts.Count,
                };
        }
    }

    private static string NameOf(SigmaDetection detection) => detection.Header.Name ?? detection.Header.Title;

    /// <summary>A group-by field of a count correlation; an alias reads, per request, the field of the rule it matched.</summary>
    private Field? GroupField(string name, YamlNode node, SigmaCorrelation correlation, List<SigmaDetection> parts)
    {
        if (!correlation.Aliases.TryGetValue(name, out var perRule))
        {
            return Resolve(name, node, correlation.Header.File);
        }

        var fields = new List<(Condition Condition, Field Field)>();
        foreach (var part in parts)
        {
            if (StepField(name, node, correlation, part) is { } field)
            {
                fields.Add((part.Condition, field));
            }
        }

        return Field.One(name, $"alias of {string.Join(", ", perRule.Values)}", request =>
        {
            foreach (var (condition, field) in fields)
            {
                if (condition.Matches(request))
                {
                    return field.First(request);
                }
            }

            return null;
        });
    }

    private Field? StepField(string name, YamlNode node, SigmaCorrelation correlation, SigmaDetection part)
    {
        if (!correlation.Aliases.TryGetValue(name, out var perRule))
        {
            return Resolve(name, node, correlation.Header.File);
        }

        if (part.Header.Name is { } ruleName && perRule.TryGetValue(ruleName, out var fieldName))
        {
            return Resolve(fieldName, node, correlation.Header.File);
        }

        diagnosticsFor(correlation.Header.File).Add(node, $"alias '{name}' names no field for rule '{NameOf(part)}' (aliases map rule names to fields)");
        return null;
    }

    private Field? Resolve(string name, YamlNode node, string file)
    {
        if (SigmaFields.TryResolve(name, out var field))
        {
            return field;
        }

        diagnosticsFor(file).Add(node, SigmaFields.UnknownFieldMessage(name));
        return null;
    }

    private static Rule Base(SigmaHeader header, RuleKind kind) => new()
    {
        Id = header.Id!,
        Title = header.Title,
        Description = header.Description,
        Severity = header.Level ?? Severity.Medium,
        Kind = kind,
        Labels = Labels(header),
        Attribution = header.Author is { } author ? $"Sigma rule by {author}." : null,
        GroupBy = [],
        Suppress = DefaultSuppress,
        Tests = header.Tests,
        SourceFile = header.File,
        Format = RuleFormat.Sigma,
    };

    private static Dictionary<string, string> Labels(SigmaHeader header)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["rule_format"] = "sigma" };
        if (header.Author is { } author)
        {
            labels["author"] = author;
        }

        var techniques = header.Tags.Select(t => AttackTechnique().Match(t)).Where(m => m.Success).Select(m => m.Groups[1].Value.ToUpperInvariant()).ToList();
        if (techniques.Count > 0)
        {
            labels["mitre_attack"] = string.Join(",", techniques);
        }

        return labels;
    }

    private static Field NativeField(string name) => FieldCatalog.TryGet(name, out var field) ? field : throw new InvalidOperationException($"field {name} is missing");

    [GeneratedRegex(@"^attack\.(t\d{4}(\.\d{3})?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AttackTechnique();
}
