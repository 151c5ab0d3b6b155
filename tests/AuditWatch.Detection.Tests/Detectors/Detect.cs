using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Tests.Detectors;

internal static class Detect
{
    public static IReadOnlyList<Alert> Run(IEnumerable<AuditEvent> events, Rule rule, DetectionOptions? options = null) =>
        Run(events, [rule], options, new PipelineCounters());

    public static IReadOnlyList<Alert> Run(IEnumerable<AuditEvent> events, IReadOnlyList<Rule> rules, DetectionOptions? options, PipelineCounters counters) =>
        DetectionPipeline.Detect(events.ToObservable(), rules, options ?? new DetectionOptions(), new HistoricalScheduler(), counters)
            .ToList()
            .Wait()
            .ToList();

    public static IReadOnlyList<Alert> Firing(this IReadOnlyList<Alert> alerts) => [.. alerts.Where(a => a.Status == AlertStatus.Firing)];

    /// <summary>The final notice of each incident.</summary>
    public static IReadOnlyList<Alert> Final(this IReadOnlyList<Alert> alerts) =>
        [.. alerts.GroupBy(a => a.IncidentId).Select(g => g.Last())];
}
