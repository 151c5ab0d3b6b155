using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Detectors.DistinctReads;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;

namespace AuditWatch.Detection.Pipeline;

/// <summary>
/// Audit events in, alerts out: count each request once, normalize, order on event time, detect. The same
/// composition serves replay and the live service; only the source and what drives the event clock differ.
/// </summary>
public static class DetectionPipeline
{
    /// <param name="events">Decoded events, delivered one at a time (never concurrently).</param>
    /// <param name="eventClock">Virtual clock that follows the watermark; timers of the detectors run on it.</param>
    public static IObservable<Alert> Detect(
        IObservable<AuditEvent> events,
        DetectionOptions options,
        HistoricalScheduler eventClock,
        PipelineCounters counters)
    {
        var counter = new RequestCounter(options.Requests);
        var orderer = new EventTimeOrderer(options.EventTime);
        return events
            .ToRequests(counter, counters.RecordVerdict)
            .Do(counters.RecordRequest)
            .OrderByEventTime(orderer, eventClock, _ => counters.RecordLate())
            .DetectDistinctSecretReads(options.DistinctReads, eventClock)
            .Do(_ => counters.RecordAlert());
    }
}
