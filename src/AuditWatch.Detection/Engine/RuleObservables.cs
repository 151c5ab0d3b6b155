using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

public static class RuleObservables
{
    /// <summary>
    /// One rule over the ordered request stream: inputs grouped per group key (GroupByUntil, forgotten when idle in
    /// event time or evicted past the cap), per-group state in Scan, groups merged back with SelectMany. A group that
    /// ends resolves its open incident. Windowed rules skip late requests; match rules judge them too.
    /// </summary>
    public static IObservable<Alert> Detect(
        this IObservable<OrderedRequest> ordered,
        Rule rule,
        DetectionOptions options,
        IScheduler eventClock,
        PipelineCounters counters) =>
        Observable.Defer(() =>
        {
            var factory = new DetectorFactory(rule, options);
            var budget = new GroupBudget(options.MaxGroupsPerRule, counters.RecordEviction);
            counters.TrackGroups(rule.Id, () => budget.Count);
            return ordered
                .Where(item => !item.Late || rule.Kind == RuleKind.Match)
                .SelectMany(item => RuleInputs.For(rule, item.Request))
                .Do(input =>
                {
                    counters.RecordEvaluation(rule.Id);
                    budget.Touch(input.GroupKey);
                })
                .GroupByUntil(
                    input => input.GroupKey,
                    group => group.Throttle(factory.GroupLifetime, eventClock).Select(_ => Unit.Default).Merge(budget.Eviction(group.Key)))
                .SelectMany(group => Observable.Defer(() =>
                {
                    var detector = factory.Create(group.Key);
                    return group
                        .Scan(
                            (IReadOnlyList<Alert>)[],
                            (_, input) => detector.Observe(input))
                        .SelectMany(alerts => alerts)
                        .Concat(Observable.Defer(() => detector.Close() is { } resolved
                            ? Observable.Return(resolved)
                            : Observable.Empty<Alert>()));
                }));
        });
}
