using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Pipeline;

/// <summary>
/// Audit events in, alerts out: count each request once, normalize, order on event time, run every rule. The same
/// composition serves replay, the live service and rule tests; only the source and what drives the clock differ.
/// </summary>
public static class DetectionPipeline
{
    /// <param name="events">Decoded events, delivered one at a time (never concurrently).</param>
    /// <param name="eventClock">Virtual clock that follows the watermark; the rules' timers run on it.</param>
    /// <param name="live">Live mode: wall-clock ticks and their clock, to move the watermark while the stream is idle.</param>
    public static IObservable<Alert> Detect(
        IObservable<AuditEvent> events,
        IReadOnlyList<Rule> rules,
        DetectionOptions options,
        HistoricalScheduler eventClock,
        PipelineCounters counters,
        (IObservable<DateTimeOffset> Ticks, TimeProvider Clock)? live = null)
    {
        var counter = new RequestCounter(options.Requests);
        var orderer = new EventTimeOrderer(options.EventTime);
        return events
            .ToRequests(counter, counters.RecordVerdict)
            .Do(counters.RecordRequest)
            .Do(request => options.Replay.Observe(request.Replayed))
            .OrderByEventTime(orderer, eventClock, live?.Ticks, live?.Clock)
            .Do(item =>
            {
                if (item.Late)
                {
                    counters.RecordLate();
                }
            })
            .Publish(ordered => rules.Select(rule => ordered.Detect(rule, options, eventClock, counters)).Merge())
            .Do(_ => counters.RecordAlert());
    }
}
