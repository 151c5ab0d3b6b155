using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Prefiltering;

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
        (IObservable<DateTimeOffset> Ticks, TimeProvider Clock)? live = null) =>
        Detect(events, Observable.Return(rules), options, eventClock, counters, live);

    /// <summary>
    /// The same with rules that change while running (hot reload): each new rule set is compared with the last by
    /// rule id and definition; a rule that did not change keeps its subscription, and with it its windows and open
    /// incidents; a removed or changed rule's state is dropped; an added or changed rule starts empty. The event stream
    /// itself is never interrupted.
    /// </summary>
    /// <param name="watermarkPassed">
    /// Told the watermark whenever requests were released: every event fed so far whose request time is at or before
    /// it has been through the rules, and the alerts it raised are out (a source may then count it as safe). An event
    /// whose request time was more than the allowed lateness beyond the watermark once it was fed was stamped ahead and
    /// went through at once: it waits for nothing.
    /// </param>
    public static IObservable<Alert> Detect(
        IObservable<AuditEvent> events,
        IObservable<IReadOnlyList<Rule>> ruleSets,
        DetectionOptions options,
        HistoricalScheduler eventClock,
        PipelineCounters counters,
        (IObservable<DateTimeOffset> Ticks, TimeProvider Clock)? live = null,
        Action<DateTimeOffset>? watermarkPassed = null)
    {
        var counter = new RequestCounter(options.Requests, counters.RecordForgottenEarly);
        var orderer = new EventTimeOrderer(options.EventTime, counters.RecordReleasedEarly);
        var futureStamps = live is { Clock: var clock } ? new FutureStampCheck(options.EventTime.AllowedLateness, clock) : null;
        var replayStamps = live is null ? new ReplayStampCheck(options.EventTime.AllowedLateness) : null;
        var shapes = new RequestShapes();

        // Rule sets arrive on the reloader's thread; starting and stopping rules under the ordering lock keeps them from
        // running alongside a request or an event-clock timer: the event clock and the detectors are single-threaded.
        var gate = new object();
        var alerts = events
            .CountRequests(counter, counters.RecordVerdict, futureStamps, replayStamps)
            .Do(counters.RecordRequest)
            .Do(request => options.Replay.Observe(request.Event.Replayed))
            .OrderByEventTime(orderer, eventClock, live?.Ticks, live?.Clock, gate, watermarkPassed)
            .Select(item => item with { Shape = shapes.Of(item.Request) })
            .Do(item =>
            {
                switch (item.Timing)
                {
                    case EventTiming.InOrder: counters.RecordEvaluated(); break;
                    case EventTiming.Late: counters.RecordLate(); break;
                    case EventTiming.Ahead: counters.RecordStampedAhead(item.Request); break;
                }
            })
            .Publish(ordered =>
            {
                // Live rule sets never end by themselves; the rules end with the events, or the output never would.
                var changes = ruleSets.Synchronize(gate).TakeUntil(ordered.LastOrDefaultAsync()).Scan(
                    (Current: (IReadOnlyDictionary<string, Rule>)new Dictionary<string, Rule>(), Changes: (IReadOnlyList<RuleChange>)[]),
                    (previous, set) => RuleChange.Between(previous.Current, set))
                    .SelectMany(step => step.Changes)
                    .Publish()
                    .RefCount();
                var routed = new RoutedRequests(ordered);
                return changes
                    .Where(change => change.Started)
                    .SelectMany(start => routed
                        .Detect(start.Rule, options, eventClock, counters)
                        .TakeUntil(changes.Where(stop => !stop.Started && stop.Key == start.Key)));
            })
            .Do(_ => counters.RecordAlert());

        // A pipeline dropped mid-stream (its Kafka partition moved) abandons what still waits for the watermark; no
        // offset was stored for it, so the next owner reads it again. Counted, so that every request is accounted for.
        return Observable.Create<Alert>(observer =>
        {
            var subscription = alerts.Subscribe(observer);
            return Disposable.Create(() =>
            {
                lock (gate)
                {
                    subscription.Dispose();
                    counters.RecordAbandoned(orderer.Buffered);
                    orderer.Clear();
                }
            });
        });
    }
}
