using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Prefiltering;

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
        this IObservable<OrderedRequest> ordered,
        Rule rule,
        DetectionOptions options,
        IScheduler eventClock,
        PipelineCounters counters) =>
        Observable.Create<Alert>(observer =>
        {
            var prefilter = new RulePrefilter(rule);
            var factory = new DetectorFactory(rule, options, counters);
            var groups = new RuleGroups(factory, options.MaxGroupsPerRule, counters.RecordEviction);
            counters.TrackGroups(rule.Id, () => groups.Count);
            var evaluations = counters.EvaluationsOf(rule.Id);
            counters.RuleFailuresOf(rule.Id);
            var inputs = new List<RuleInput>();
            var output = new List<Alert>();
            var timer = new SerialDisposable();
            DateTimeOffset? armedFor = null;

            // A rule that throws is counted and starts over with no state (what it held may be half changed), and the
            // request it threw on is lost to it alone. Failing the stream instead would stop every rule with it: live,
            // the service would restart and, on Kafka, read the same message again, and fail again, for ever. Its open
            // incidents are dropped without a resolved notice, as when a reload changes a rule; what its other groups
            // raised before the throw still goes out.
            void StartOver(Exception error, ApiRequest? request)
            {
                counters.RecordRuleFailure(new RuleFailure(rule.Id, request?.AuditId, error));
                inputs.Clear();
                timer.Disposable = null;
                armedFor = null;
                groups = new RuleGroups(factory, options.MaxGroupsPerRule, counters.RecordEviction);
            }

            // A throw into the publishing stream would detach this rule without a word (Rx drops a subscription whose
            // observer threw) and the pipeline would wait for it for ever. What throws downstream of the rule is not the
            // rule's fault: it goes down the stream as its error.
            var failed = false;
            void Deliver()
            {
                try
                {
                    foreach (var alert in output)
                    {
                        observer.OnNext(alert);
                    }
                }
                catch (Exception error)
                {
                    failed = true;
                    timer.Dispose();
                    observer.OnError(error);
                }
                finally
                {
                    output.Clear();
                }
            }

            // One event-clock timer per rule, due no later than the stalest group's expiry. A timer that turns out
            // early (its group was active again) just re-arms, so requests never reschedule it.
            void Arm()
            {
                if (groups.NextExpiry is not { } next || armedFor <= next)
                {
                    return;
                }

                armedFor = next;
                timer.Disposable = eventClock.Schedule(next, () =>
                {
                    armedFor = null;
                    try
                    {
                        groups.Expire(eventClock.Now, output);
                        Arm();
                    }
                    catch (Exception ex)
                    {
                        StartOver(ex, null);
                    }

                    Deliver();
                });
            }

            var subscription = ordered.Subscribe(
                item =>
                {
                    if (failed || (item.OutOfOrder && rule.Kind != RuleKind.Match))
                    {
                        return;
                    }

                    try
                    {
                        if (!prefilter.Passes(item.Shape, item.Request))
                        {
                            return;
                        }

                        RuleInputs.Collect(rule, prefilter, item, inputs);
                        foreach (var input in inputs)
                        {
                            Interlocked.Increment(ref evaluations.Value);
                            groups.Observe(input, eventClock.Now, output);
                        }

                        inputs.Clear();
                        Arm();
                    }
                    catch (Exception ex)
                    {
                        StartOver(ex, item.Request);
                    }

                    Deliver();
                },
                observer.OnError,
                () =>
                {
                    if (failed)
                    {
                        return;
                    }

                    timer.Dispose();
                    try
                    {
                        groups.CloseAll(output);
                    }
                    catch (Exception ex)
                    {
                        StartOver(ex, null);
                    }

                    Deliver();
                    if (!failed)
                    {
                        observer.OnCompleted();
                    }
                });
            return new CompositeDisposable(subscription, timer);
        });
}
