using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Ordering;

public static class EventTimeObservables
{
    /// <summary>
    /// Emits requests in event-time order as the watermark passes them and moves <paramref name="eventClock"/> to each
    /// one's time first, so timers on that scheduler (such as group expiry) fire in event time. Late requests go to
    /// <paramref name="onLate"/> instead.
    /// </summary>
    public static IObservable<ApiRequest> OrderByEventTime(
        this IObservable<ApiRequest> source,
        EventTimeOrderer orderer,
        HistoricalScheduler eventClock,
        Action<ApiRequest> onLate) =>
        Observable.Create<ApiRequest>(observer =>
        {
            void Release()
            {
                foreach (var request in orderer.TakeReleased())
                {
                    if (request.Time > eventClock.Now)
                    {
                        eventClock.AdvanceTo(request.Time);
                    }

                    observer.OnNext(request);
                }
            }

            return source.Subscribe(
                request =>
                {
                    if (orderer.Add(request))
                    {
                        Release();
                    }
                    else
                    {
                        onLate(request);
                    }
                },
                observer.OnError,
                () =>
                {
                    orderer.Complete();
                    Release();
                    observer.OnCompleted();
                });
        });
}
