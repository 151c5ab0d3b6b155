using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

public static class RuleObservables
{
    /// <summary>
    /// One rule over the ordered request stream: each request goes to the detector of its group (<see cref="RuleGroups"/>),
    /// groups quiet for their lifetime on the event clock or evicted past the cap are forgotten and resolve their open
    /// incident, and what is still open resolves at the end of input. Windowed rules skip late requests; match rules
    /// judge them too. Requests and event-clock timers never run at the same time (the pipeline serializes both).
    /// </summary>
    public static IObservable<Alert> Detect(
        this RoutedRequests ordered,
        Rule rule,
        DetectionOptions options,
        IScheduler eventClock,
        PipelineCounters counters) =>
        Observable.Create<Alert>(observer =>
        {
            var run = new RuleRun(rule, options, eventClock, counters, observer);
            try
            {
                return new CompositeDisposable(ordered.Subscribe(run.Prefilter, run), run);
            }
            catch
            {
                // What the run took (a first_seen memory, its place in the counters) is given back.
                run.Dispose();
                throw;
            }
        });
}
