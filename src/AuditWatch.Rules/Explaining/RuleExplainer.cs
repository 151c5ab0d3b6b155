using System.Text;
using AuditWatch.Core.Requests;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Rules.Explaining;

/// <summary>
/// Why a request did or did not match a rule, condition by condition, with the values the request had: what
/// <c>AuditWatch rules explain</c> prints.
/// </summary>
public static class RuleExplainer
{
    public static string Explain(Rule rule, ApiRequest request)
    {
        var text = new StringBuilder();
        var applies = rule.Applies(request);
        text.AppendLine($"{(applies ? "MATCHES" : "does not match")} {rule.Id} ({KindName(rule)}): {request.Verb} {request.RequestUri} by {request.Identity.Display}");
        text.AppendLine("  where:");
        Explain(text, rule.Where, request, 2);
        if (rule.Except.Count > 0)
        {
            text.AppendLine("  except (any match leaves the request out):");
            foreach (var exception in rule.Except)
            {
                Explain(text, exception, request, 2);
            }
        }

        for (var i = 0; i < rule.Steps.Count; i++)
        {
            var step = rule.Steps[i];
            text.AppendLine($"  step {i + 1} '{step.Name}' (key {string.Join(", ", step.Key.Select(k => $"{k.Name}={Values(k, request)}"))}):");
            Explain(text, step.Where, request, 2);
        }

        if (applies && rule.Kind != RuleKind.Match)
        {
            text.AppendLine($"  counts toward group {string.Join(" | ", rule.GroupBy.Select(g => $"{g.Name}={Values(g, request)}"))}"
                + (rule.CountDistinct is { } distinct ? $", distinct value {distinct.Name}={Values(distinct, request)}" : string.Empty)
                + (rule.Threshold is { } threshold ? $", threshold {threshold.For(request.Identity.Kind)} for a {FieldCatalog.KindName(request.Identity.Kind)}" : string.Empty));
        }

        return text.ToString();
    }

    private static bool Explain(StringBuilder text, Condition condition, ApiRequest request, int depth)
    {
        var indent = new string(' ', depth * 2);
        var holds = condition.Matches(request);
        var mark = holds ? "✓" : "✗";
        switch (condition)
        {
            case AllCondition all:
                text.AppendLine($"{indent}{mark} all of:");
                all.Parts.ToList().ForEach(p => Explain(text, p, request, depth + 1));
                break;
            case AnyCondition any:
                text.AppendLine($"{indent}{mark} any of:");
                any.Parts.ToList().ForEach(p => Explain(text, p, request, depth + 1));
                break;
            case NotCondition not:
                text.AppendLine($"{indent}{mark} not:");
                Explain(text, not.Inner, request, depth + 1);
                break;
            case NamedCondition named:
                text.AppendLine($"{indent}{mark} {named.Name}:");
                Explain(text, named.Inner, request, depth + 1);
                break;
            case LeafCondition leaf:
                text.AppendLine($"{indent}{mark} {leaf.Text}   ({leaf.Field.Name} = {Values(leaf.Field, request)})");
                break;
            case ExistsCondition exists:
                text.AppendLine($"{indent}{mark} {exists.Text}   ({exists.Field.Name} = {Values(exists.Field, request)})");
                break;
            case EqualsFieldCondition equals:
                text.AppendLine($"{indent}{mark} {equals.Text}   ({string.Join(", ", equals.Fields.Select(f => $"{f.Name} = {Values(f, request)}"))})");
                break;
            default:
                text.AppendLine($"{indent}{mark} {condition.Text}");
                break;
        }

        return holds;
    }

    private static string Values(Field field, ApiRequest request)
    {
        var values = field.All(request);
        return values.Count switch
        {
            0 => "(none)",
            1 => $"'{values[0]}'",
            _ => "[" + string.Join(", ", values.Select(v => $"'{v}'")) + "]",
        };
    }

    private static string KindName(Rule rule) => rule.Kind == RuleKind.FirstSeen ? "first_seen" : rule.Kind.ToString().ToLowerInvariant();
}
