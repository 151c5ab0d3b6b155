using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Ordered requests through rules as the pipeline runs them after its ordering stage: the event clock advanced to each
/// request, its shape looked up, then every rule. Returns the number of alerts.
/// </summary>
internal static class RuleHarness
{
    public static int Run(OrderedRequest[] requests, IReadOnlyList<Rule> rules)
    {
        var clock = new HistoricalScheduler(requests[0].Request.Time);
        var counters = new PipelineCounters();
        var options = new DetectionOptions();
        var shapes = new RequestShapes();
        var ordered = new Subject<OrderedRequest>();
        var routed = new RoutedRequests(ordered);
        var alerts = 0;
        using var subscription = rules.Select(rule => routed.Detect(rule, options, clock, counters)).Merge().Subscribe(_ => alerts++);
        foreach (var item in requests)
        {
            if (item.Request.Time > clock.Now)
            {
                clock.AdvanceTo(item.Request.Time);
            }

            ordered.OnNext(item with { Shape = shapes.Of(item.Request) });
        }

        ordered.OnCompleted();
        return alerts;
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
