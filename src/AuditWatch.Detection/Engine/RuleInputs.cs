using AuditWatch.Core.Requests;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

/// <summary>Which inputs a request gives a rule: none, one (its group), or for a sequence one per step and key value.</summary>
internal static class RuleInputs
{
    public static IEnumerable<RuleInput> For(Rule rule, ApiRequest request)
    {
        if (!rule.Applies(request))
        {
            yield break;
        }

        if (rule.Kind != RuleKind.Sequence)
        {
            yield return new RuleInput(request, rule.GroupKey(request), 0);
            yield break;
        }

        // The second step first, so that a request matching both never pairs with itself.
        for (var step = rule.Steps.Count - 1; step >= 0; step--)
        {
            var definition = rule.Steps[step];
            if (!definition.Where.Matches(request))
            {
                continue;
            }

            foreach (var key in JoinKeys(definition, request))
            {
                yield return new RuleInput(request, key, step);
            }
        }
    }

    private static IEnumerable<string> JoinKeys(SequenceStep step, ApiRequest request)
    {
        IEnumerable<string> keys = [string.Empty];
        foreach (var field in step.Key)
        {
            var values = field.All(request);
            keys = keys.SelectMany(prefix => values.Select(value => prefix.Length == 0 ? value : $"{prefix} | {value}"));
        }

        return keys.Where(k => k.Length > 0);
    }
}
