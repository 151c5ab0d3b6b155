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

        // Ordered: later steps first, so that a request matching two steps never chains with itself. Unordered: a
        // request counts as the first step it matches only, so one request cannot stand for two different events.
        for (var i = 0; i < rule.Steps.Count; i++)
        {
            var step = rule.OrderedSteps ? rule.Steps.Count - 1 - i : i;
            var definition = rule.Steps[step];
            if (!definition.Where.Matches(request))
            {
                continue;
            }

            foreach (var key in JoinKeys(definition, request))
            {
                yield return new RuleInput(request, key, step);
            }

            if (!rule.OrderedSteps)
            {
                yield break;
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
