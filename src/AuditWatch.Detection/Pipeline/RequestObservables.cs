using System.Reactive.Linq;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Pipeline;

public static class RequestObservables
{
    /// <summary>One normalized request per API request: other stages and redeliveries are dropped (and reported).</summary>
    public static IObservable<ApiRequest> ToRequests(
        this IObservable<AuditEvent> events,
        RequestCounter counter,
        Action<StageVerdict> onVerdict) =>
        Observable.Create<ApiRequest>(observer => events.Subscribe(
            auditEvent =>
            {
                var verdict = counter.Observe(auditEvent);
                onVerdict(verdict);
                if (verdict == StageVerdict.Counted)
                {
                    observer.OnNext(RequestNormalizer.Normalize(auditEvent));
                }
            },
            observer.OnError,
            observer.OnCompleted));
}
