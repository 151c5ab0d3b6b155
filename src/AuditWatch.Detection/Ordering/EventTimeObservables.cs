using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Ordering;

public static class EventTimeObservables
{
    /// <summary>
    /// Emits requests in event-time order as the watermark passes them and moves <paramref name="eventClock"/> to each
    /// one's time first, so timers on that scheduler (such as group expiry) fire in event time. A request that arrives
    /// behind the watermark is emitted at once, marked late.
    /// </summary>
    public static IObservable<OrderedRequest> OrderByEventTime(
        this IObservable<ApiRequest> source,
        EventTimeOrderer orderer,
        HistoricalScheduler eventClock) =>
        Observable.Create<OrderedRequest>(observer =>
        {
            void Release()
            {
                foreach (var request in orderer.TakeReleased())
                {
                    if (request.Time > eventClock.Now)
                    {
                        eventClock.AdvanceTo(request.Time);
                    }

                    observer.OnNext(new OrderedRequest(request, Late: false));
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
                        observer.OnNext(new OrderedRequest(request, Late: true));
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
