using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Ordering;

public static class EventTimeObservables
{
    /// <summary>
    /// Emits requests in event-time order as the watermark passes them and moves <paramref name="eventClock"/> to each
    /// one's time first, so timers on that scheduler (such as group expiry) fire in event time. A request that arrives
    /// behind the watermark is emitted at once, marked late; one stamped ahead (<see cref="CountedRequest.StampedAhead"/>)
    /// too, marked ahead, without moving the watermark. Each is normalized as it is emitted, not while it waits.
    /// </summary>
    /// <param name="wallTicks">
    /// Live mode: instants at which to check for an idle stream; the watermark then moves by the time since the last
    /// request arrived, measured on <paramref name="wallClock"/>'s monotonic timestamps, so that a system clock stepped
    /// by NTP or by hand neither closes windows early (forward) nor holds them open (back). Replay passes none.
    /// </param>
    /// <param name="gate">
    /// Lock held while requests are released and the event clock moves; whoever else touches the pipeline's state from
    /// another thread (a rule reload) takes it too.
    /// </param>
    /// <param name="passed">
    /// Told the watermark after each release, under <paramref name="gate"/>, once everything it released went
    /// downstream: every request that arrived with an event time at or before it has been through the rules.
    /// </param>
    public static IObservable<OrderedRequest> OrderByEventTime(
        this IObservable<CountedRequest> source,
        EventTimeOrderer orderer,
        HistoricalScheduler eventClock,
        IObservable<DateTimeOffset>? wallTicks = null,
        TimeProvider? wallClock = null,
        object? gate = null,
        Action<DateTimeOffset>? passed = null) =>
        Observable.Create<OrderedRequest>(observer =>
        {
            var lockObject = gate ?? new object();
            long? lastArrival = null;

            var failed = false;
            void Guard(Action step)
            {
                if (failed)
                {
                    return;
                }

                try
                {
                    step();
                }
                catch (Exception ex)
                {
                    failed = true;
                    observer.OnError(ex);
                }
            }

            void Release()
            {
                while (orderer.TryTakeReleased(out var released))
                {
                    var request = RequestNormalizer.Normalize(released);
                    if (request.Time > eventClock.Now)
                    {
                        eventClock.AdvanceTo(request.Time);
                    }

                    observer.OnNext(new OrderedRequest(request, EventTiming.InOrder));
                }

                // Everything up to the watermark is final, so timers up to it (group expiry) may fire, also when
                // the watermark moved because the live stream went idle.
                if (orderer.Watermark > eventClock.Now && orderer.Watermark != DateTimeOffset.MaxValue)
                {
                    eventClock.AdvanceTo(orderer.Watermark);
                }

                passed?.Invoke(orderer.Watermark);
            }

            // Exceptions from the ordering or the rules downstream become the stream's error, so that the lane's owner
            // hears of them; thrown back to the source they would be lost.
            var requests = source.Synchronize(lockObject).Subscribe(
                request => Guard(() =>
                {
                    // Neither ordered nor an arrival: a clock stamping ahead must not keep the stream from going idle.
                    if (request.StampedAhead)
                    {
                        observer.OnNext(new OrderedRequest(request.Normalize(), EventTiming.Ahead));
                        return;
                    }

                    lastArrival = wallClock?.GetTimestamp() ?? lastArrival;
                    if (orderer.Add(request.Event))
                    {
                        Release();
                    }
                    else
                    {
                        observer.OnNext(new OrderedRequest(request.Normalize(), EventTiming.Late));
                    }
                }),
                observer.OnError,
                () =>
                {
                    Guard(() =>
                    {
                        orderer.Complete();
                        Release();

                        // After the last event, event time runs on with nothing more arriving, exactly as a live stream
                        // that went quiet: pending timers (group expiry) fire in time order before the end.
                        eventClock.Start();
                    });
                    if (!failed)
                    {
                        observer.OnCompleted();
                    }
                });
            var ticks = (wallTicks ?? Observable.Never<DateTimeOffset>()).Synchronize(lockObject).Subscribe(_ => Guard(() =>
            {
                if (lastArrival is { } arrived && wallClock is not null)
                {
                    orderer.AdvanceIdle(wallClock.GetElapsedTime(arrived));
                    Release();
                }
            }));
            return new System.Reactive.Disposables.CompositeDisposable(requests, ticks);
        });
}
