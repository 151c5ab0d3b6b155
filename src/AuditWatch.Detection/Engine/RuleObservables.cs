using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
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
            var inputs = new List<RuleInput>();
            var output = new List<Alert>();
            var timer = new SerialDisposable();
            DateTimeOffset? armedFor = null;

            // A throw into the publishing stream would detach this rule without a word (Rx drops a subscription whose
            // observer threw) and the pipeline would wait for it for ever: the error goes down the stream instead.
            var failed = false;
            void Fail(Exception error)
            {
                failed = true;
                timer.Dispose();
                observer.OnError(error);
            }

            void Emit()
            {
                foreach (var alert in output)
                {
                    observer.OnNext(alert);
                }

                output.Clear();
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
                        Emit();
                        Arm();
                    }
                    catch (Exception ex)
                    {
                        Fail(ex);
                    }
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
                        Emit();
                        Arm();
                    }
                    catch (Exception ex)
                    {
                        Fail(ex);
                    }
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
                        Emit();
                    }
                    catch (Exception ex)
                    {
                        Fail(ex);
                        return;
                    }

                    observer.OnCompleted();
                });
            return new CompositeDisposable(subscription, timer);
        });
}
