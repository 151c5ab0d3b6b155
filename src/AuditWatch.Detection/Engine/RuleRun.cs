using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// One rule running over the ordered requests for one subscriber (<see cref="RuleObservables.Detect"/>): its groups,
/// its event-clock timer, and what it hands on. Requests and timers never run at the same time (the pipeline
/// serializes both).
/// </summary>
/// <remarks>
/// An observer of its own rather than a lambda behind Rx's observer wrappers: every request a rule takes passed through
/// two of them, which cost more than the prefilter's verdict.
/// </remarks>
internal sealed class RuleRun : IObserver<OrderedRequest>, IDisposable
{
    private readonly Rule _rule;
    private readonly DetectionOptions _options;
    private readonly IScheduler _eventClock;
    private readonly PipelineCounters _counters;
    private readonly IObserver<Alert> _observer;
    private readonly DetectorFactory _factory;
    private readonly StrongBox<long> _evaluations;
    private readonly List<RuleInput> _inputs = [];
    private readonly List<Alert> _output = [];
    private readonly SerialDisposable _timer = new();
    private readonly IDisposable _tracking;
    private RuleGroups _groups;
    private long _armedForTicks = long.MaxValue;
    private bool _failed;

    public RuleRun(Rule rule, DetectionOptions options, IScheduler eventClock, PipelineCounters counters, IObserver<Alert> observer)
    {
        _rule = rule;
        _options = options;
        _eventClock = eventClock;
        _counters = counters;
        _observer = observer;
        Prefilter = new RulePrefilter(rule);
        _factory = new DetectorFactory(rule, options, counters);
        _groups = NewGroups();
        _tracking = counters.TrackGroups(rule.Id, () => _groups.Count);
        _evaluations = counters.EvaluationsOf(rule.Id);
        counters.RuleFailuresOf(rule.Id);
    }

    public RulePrefilter Prefilter { get; }

    public void OnNext(OrderedRequest item)
    {
        if (_failed || (item.OutOfOrder && _rule.Kind != RuleKind.Match))
        {
            return;
        }

        try
        {
            if (!Prefilter.Passes(item.Shape, item.Request))
            {
                return;
            }

            RuleInputs.Collect(_rule, Prefilter, item, _inputs, noGroupsYet: _groups.Count == 0);
            foreach (var input in _inputs)
            {
                Interlocked.Increment(ref _evaluations.Value);
                _groups.Observe(input, _eventClock.Now, _output);
            }

            _inputs.Clear();
            Arm();
        }
        catch (Exception ex)
        {
            StartOver(ex, item.Request);
        }

        if (_output.Count > 0)
        {
            Deliver();
        }
    }

    public void OnError(Exception error) => _observer.OnError(error);

    public void OnCompleted()
    {
        if (_failed)
        {
            return;
        }

        _timer.Dispose();
        try
        {
            _groups.CloseAll(_output);
        }
        catch (Exception ex)
        {
            StartOver(ex, null);
        }

        Deliver();
        if (!_failed)
        {
            _observer.OnCompleted();
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _tracking.Dispose();
        _factory.Dispose();
    }

    private RuleGroups NewGroups() => new(_factory, _options.MaxGroupsPerRule, _counters.RecordEviction);

    // A rule that throws is counted and starts over with no state (what it held may be half changed), and the request
    // it threw on is lost to it alone. Failing the stream instead would stop every rule with it: live, the service would
    // restart and, on Kafka, read the same message again, and fail again, for ever. Its open incidents are dropped
    // without a resolved notice, as when a reload changes a rule; what its other groups raised before the throw still
    // goes out.
    private void StartOver(Exception error, ApiRequest? request)
    {
        _counters.RecordRuleFailure(new RuleFailure(_rule.Id, request?.AuditId, error));
        _inputs.Clear();
        _timer.Disposable = null;
        _armedForTicks = long.MaxValue;
        _groups = NewGroups();
    }

    // A throw into the publishing stream would stop every rule, or detach this one without a word where Rx drops a
    // subscription whose observer threw, and the pipeline would wait for it for ever. What throws downstream of the
    // rule is not the rule's fault: it goes down the stream as its error.
    private void Deliver()
    {
        try
        {
            foreach (var alert in _output)
            {
                _observer.OnNext(alert);
            }
        }
        catch (Exception error)
        {
            _failed = true;
            _timer.Dispose();
            _observer.OnError(error);
        }
        finally
        {
            _output.Clear();
        }
    }

    // One event-clock timer per rule, due at the first whole second at or after the stalest group's expiry. A timer that
    // turns out early (its group was active again) just re-arms, so requests never reschedule it. The whole second
    // gathers the expiries of many groups into one timer: with 100,000 identities a group expired every few
    // milliseconds of event time, and a timer each cost more than the rules. A group's own request in that second still
    // finds it expired (RuleGroups.Observe), and what a group resolves with does not depend on when it is forgotten: the
    // only difference is that a resolved notice may go out up to a second of event time later (after the alerts of
    // requests in that second, and in a different order among rules), and that the group gauge counts it until then.
    private void Arm()
    {
        var next = _groups.NextExpiryTicks;
        if (next == long.MaxValue)
        {
            return;
        }

        var due = Math.Min(
            next - (next % TimeSpan.TicksPerSecond) + (next % TimeSpan.TicksPerSecond == 0 ? 0 : TimeSpan.TicksPerSecond),
            DateTimeOffset.MaxValue.UtcTicks);
        if (due >= _armedForTicks)
        {
            return;
        }

        _armedForTicks = due;
        _timer.Disposable = _eventClock.Schedule(new DateTimeOffset(due, TimeSpan.Zero), OnTimer);
    }

    private void OnTimer()
    {
        _armedForTicks = long.MaxValue;
        try
        {
            _groups.Expire(_eventClock.Now, _output);
            Arm();
        }
        catch (Exception ex)
        {
            StartOver(ex, null);
        }

        Deliver();
    }
}
