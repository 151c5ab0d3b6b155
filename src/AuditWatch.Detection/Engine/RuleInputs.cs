using AuditWatch.Core.Requests;
using AuditWatch.Detection.Ordering;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Detection.Engine;

/// <summary>Which inputs a request gives a rule: none, one (its group), or for a sequence one per step and key value.</summary>
internal static class RuleInputs
{
    /// <summary>
    /// Adds the inputs of a request the rule applies to (<see cref="Rule.Applies"/>, judged by the caller) to
    /// <paramref name="inputs"/> (a list reused across requests). With <paramref name="noGroupsYet"/>, a later step of an
    /// ordered sequence is not even judged: it could only extend a chain, and there is none (the first step of such
    /// rules, an RBAC grant or a denied read, is rare, so the rule mostly has no groups).
    /// </summary>
    public static void Collect(Rule rule, RulePrefilter prefilter, OrderedRequest item, List<RuleInput> inputs, bool noGroupsYet = false)
    {
        var request = item.Request;
        if (rule.Kind != RuleKind.Sequence)
        {
            inputs.Add(new RuleInput(request, rule.GroupKey(request), 0));
            return;
        }

        // Ordered: later steps first, so that a request matching two steps never chains with itself. Unordered: a
        // request counts as the first step it matches only, so one request cannot stand for two different events.
        for (var i = 0; i < rule.Steps.Count; i++)
        {
            var step = rule.OrderedSteps ? rule.Steps.Count - 1 - i : i;
            if (noGroupsYet && !DetectorFactory.StepOpens(rule, step))
            {
                continue;
            }

            var definition = rule.Steps[step];
            if (!prefilter.MatchesStep(step, item.Shape, request))
            {
                continue;
            }

            AddJoinKeys(definition, request, step, inputs);

            if (!rule.OrderedSteps)
            {
                return;
            }
        }
    }

    private static void AddJoinKeys(SequenceStep step, ApiRequest request, int index, List<RuleInput> inputs)
    {
        // The common case, one single-valued key field, builds no strings: the value is the key.
        if (step.Key is [{ IsMultiValued: false } only])
        {
            if (only.First(request) is { Length: > 0 } key)
            {
                inputs.Add(new RuleInput(request, key, index));
            }

            return;
        }

        foreach (var key in JoinKeys(step, request))
        {
            inputs.Add(new RuleInput(request, key, index));
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
