using System.Reactive.Linq;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;

namespace AuditWatch.Detection.Pipeline;

public static class RequestObservables
{
    /// <summary>One normalized request per API request: other stages and redeliveries are dropped (and reported).</summary>
    /// <param name="futureStamps">Live mode: marks requests stamped too far ahead (<see cref="ApiRequest.StampedAhead"/>).</param>
    public static IObservable<ApiRequest> ToRequests(
        this IObservable<AuditEvent> events,
        RequestCounter counter,
        Action<StageVerdict> onVerdict,
        FutureStampCheck? futureStamps = null) =>
        Observable.Create<ApiRequest>(observer => events.Subscribe(
            auditEvent =>
            {
                var ahead = futureStamps is not null && RequestCounter.MayCount(auditEvent) && futureStamps.IsAhead(auditEvent.RequestTime);
                var verdict = counter.Observe(auditEvent, ahead);
                onVerdict(verdict);
                if (verdict == StageVerdict.Counted)
                {
                    observer.OnNext(RequestNormalizer.Normalize(auditEvent, ahead ? futureStamps!.LastAheadJudgedAt : null));
                }
            },
            observer.OnError,
            observer.OnCompleted));
}
