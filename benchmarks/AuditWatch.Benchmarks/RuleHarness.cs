using AuditWatch.Detection.Ordering;
using AuditWatch.Rules.Model;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Ordered requests through rules as the pipeline runs them after its ordering stage (<see cref="RunningRules"/>), from
/// no state to the end of input. Returns the number of alerts.
/// </summary>
internal static class RuleHarness
{
    public static int Run(OrderedRequest[] requests, IReadOnlyList<Rule> rules)
    {
        using var running = new RunningRules(rules, requests[0].Request.Time);
        var alerts = running.Feed(requests);
        return alerts + running.Complete();
    }

    /// <summary>The baseline detection is compared with: one dictionary update per request, keyed by its username.</summary>
    public static int CountByUser(OrderedRequest[] requests)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in requests)
        {
            var user = item.Request.Identity.Username;
            counts[user] = counts.TryGetValue(user, out var n) ? n + 1 : 1;
        }

        return counts.Count;
    }
}
