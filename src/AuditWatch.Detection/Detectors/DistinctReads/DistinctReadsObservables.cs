using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Detectors.DistinctReads;

public static class DistinctReadsObservables
{
    private static readonly AlertHeader Header = new(
        DistinctReadsOptions.RuleId,
        "One identity read many distinct Secrets",
        Severity.High,
        new Dictionary<string, string> { ["mitre_attack"] = "T1552.007" },
        null);

    /// <summary>
    /// Per identity (the authenticated username), windows Secret reads on event time and raises an alert when
    /// <see cref="DistinctReadsOptions.Threshold"/> distinct objects are read within the window.
    /// Expects requests in event-time order, with <paramref name="eventClock"/> at the current event's time. An
    /// identity quiet for <see cref="DistinctReadsOptions.IdleExpiry"/> is forgotten, resolving its open incident.
    /// </summary>
    public static IObservable<Alert> DetectDistinctSecretReads(
        this IObservable<ApiRequest> ordered,
        DistinctReadsOptions options,
        IScheduler eventClock) =>
        ordered
            .Where(request => request.SecretRead is not null)
            .GroupByUntil(
                request => request.Identity.Username,
                group => group.Throttle(options.IdleExpiry, eventClock))
            .SelectMany(group => Observable.Defer(() =>
            {
                var state = new DistinctReadsState(options, Header, group.Key);
                return group
                    .Scan(
                        (State: state, Alerts: (IReadOnlyList<Alert>)[]),
                        (previous, request) => (previous.State, previous.State.Observe(request)))
                    .SelectMany(step => step.Alerts)
                    .Concat(Observable.Defer(() => state.Close() is { } resolved
                        ? Observable.Return(resolved)
                        : Observable.Empty<Alert>()));
            }));
}
