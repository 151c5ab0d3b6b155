using System.Reactive.Linq;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;

namespace AuditWatch.Detection.Pipeline;

public static class RequestObservables
{
    /// <summary>One counted request per API request: other stages and redeliveries are dropped (and reported).</summary>
    /// <param name="futureStamps">Live mode: marks requests stamped too far ahead (<see cref="CountedRequest.StampedAhead"/>).</param>
    /// <param name="replayStamps">Replay: the same, judged by the requests after them (it may hold a request for a while).</param>
    public static IObservable<CountedRequest> CountRequests(
        this IObservable<AuditEvent> events,
        RequestCounter counter,
        Action<StageVerdict> onVerdict,
        FutureStampCheck? futureStamps = null,
        ReplayStampCheck? replayStamps = null) =>
        Observable.Create<CountedRequest>(observer =>
        {
            void Count(AuditEvent auditEvent, DateTimeOffset? aheadJudgedAt)
            {
                var verdict = counter.Observe(auditEvent, aheadJudgedAt);
                onVerdict(verdict);
                if (verdict == StageVerdict.Counted)
                {
                    observer.OnNext(new CountedRequest(auditEvent, aheadJudgedAt));
                }
            }

            Action<AuditEvent, DateTimeOffset?> count = Count;
            return events.Subscribe(
                auditEvent =>
                {
                    if (replayStamps is not null)
                    {
                        replayStamps.Judge(auditEvent, count);
                        return;
                    }

                    var ahead = futureStamps is not null && RequestCounter.MayCount(auditEvent) && futureStamps.IsAhead(auditEvent.RequestTime);
                    Count(auditEvent, ahead ? futureStamps!.LastAheadJudgedAt : null);
                },
                observer.OnError,
                () =>
                {
                    replayStamps?.Complete(count);
                    observer.OnCompleted();
                });
        });
}
