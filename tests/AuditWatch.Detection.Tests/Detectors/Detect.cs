using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;

namespace AuditWatch.Detection.Tests.Detectors;

internal static class Detect
{
    public static IReadOnlyList<Alert> Run(IEnumerable<AuditEvent> events, DetectionOptions? options = null) =>
        Run(events, options, new PipelineCounters());

    public static IReadOnlyList<Alert> Run(IEnumerable<AuditEvent> events, DetectionOptions? options, PipelineCounters counters) =>
        DetectionPipeline.Detect(events.ToObservable(), options ?? new DetectionOptions(), new HistoricalScheduler(), counters)
            .ToList()
            .Wait()
            .ToList();
}
