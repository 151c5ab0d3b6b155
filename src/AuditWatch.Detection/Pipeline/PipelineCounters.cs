using System.Collections.Concurrent;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Pipeline;

/// <summary>What the pipeline has seen, stage by stage; safe to read from another thread.</summary>
public sealed class PipelineCounters
{
    private readonly ConcurrentDictionary<RequestOutcome, long> _secretReadsByOutcome = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> _evaluations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Func<int>, byte>> _trackedGroups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<long>> _ruleFailures = new(StringComparer.Ordinal);
    private RuleFailure? _lastRuleFailure;
    private long _events, _requests, _secretReads, _requestReceived, _laterStages, _redeliveries, _late, _alerts, _secretPayloads, _evictions, _evaluated, _abandoned, _handedBack, _stateWriteFailures, _releasedEarly, _forgottenEarly, _stampedAhead;
    private ApiRequest? _lastStampedAhead;

    public long Events => Interlocked.Read(ref _events);
    public long Requests => Interlocked.Read(ref _requests);
    public long SecretReads => Interlocked.Read(ref _secretReads);
    public long RequestReceivedIgnored => Interlocked.Read(ref _requestReceived);
    public long LaterStages => Interlocked.Read(ref _laterStages);
    public long Redeliveries => Interlocked.Read(ref _redeliveries);
    public long Late => Interlocked.Read(ref _late);

    /// <summary>
    /// Requests stamped further ahead of the stream's time than the allowed lateness: judged on their own by
    /// single-event rules, kept out of windows and of event time (live: against this host's clock too; replay: by the
    /// entries after them).
    /// </summary>
    public long StampedAhead => Interlocked.Read(ref _stampedAhead);

    /// <summary>The last of <see cref="StampedAhead"/>, to name in a log (its <see cref="ApiRequest.AheadStamp"/> is set).</summary>
    public ApiRequest? LastStampedAhead => Volatile.Read(ref _lastStampedAhead);

    /// <summary>Requests released to the rules in event-time order (late ones are counted in <see cref="Late"/>).</summary>
    public long Evaluated => Interlocked.Read(ref _evaluated);

    /// <summary>Requests still waiting for the watermark when their pipeline was dropped (a Kafka partition moved on).</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Events taken from the queue but let go unread because their pipeline was dropped (read again by the next owner).</summary>
    public long HandedBack => Interlocked.Read(ref _handedBack);

    /// <summary>Requests held back for event-time ordering right now, over all pipelines.</summary>
    public long Waiting
    {
        get
        {
            // Read what left first: a request counted in between then shows as waiting, never as a negative number.
            var left = Evaluated + Late + StampedAhead + Abandoned;
            return Requests - left;
        }
    }
    public long Alerts => Interlocked.Read(ref _alerts);
    public long SecretPayloads => Interlocked.Read(ref _secretPayloads);

    public IReadOnlyDictionary<RequestOutcome, long> SecretReadsByOutcome => _secretReadsByOutcome;

    /// <summary>Requests each rule looked at (matched its where and no except), by rule id.</summary>
    public IReadOnlyDictionary<string, long> Evaluations => _evaluations.ToDictionary(e => e.Key, e => Interlocked.Read(ref e.Value.Value), StringComparer.Ordinal);

    /// <summary>Groups (identities) each rule tracks right now, summed over pipelines.</summary>
    public IReadOnlyDictionary<string, int> TrackedGroups => _trackedGroups.ToDictionary(g => g.Key, g => g.Value.Keys.Sum(count => count()));

    /// <summary>Groups forgotten because a rule tracked as many as it may.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Requests let out of event-time ordering before the watermark reached them: the buffer was full.</summary>
    public long ReleasedEarly => Interlocked.Read(ref _releasedEarly);

    /// <summary>Requests forgotten by the request counter before their time: it remembered as many as it may.</summary>
    public long ForgottenEarly => Interlocked.Read(ref _forgottenEarly);

    internal void RecordReleasedEarly() => Interlocked.Increment(ref _releasedEarly);

    internal void RecordForgottenEarly() => Interlocked.Increment(ref _forgottenEarly);

    internal void RecordVerdict(StageVerdict verdict)
    {
        Interlocked.Increment(ref _events);
        switch (verdict)
        {
            case StageVerdict.RequestReceivedIgnored: Interlocked.Increment(ref _requestReceived); break;
            case StageVerdict.LaterStage: Interlocked.Increment(ref _laterStages); break;
            case StageVerdict.Redelivery: Interlocked.Increment(ref _redeliveries); break;
        }
    }

    internal void RecordRequest(CountedRequest request)
    {
        var auditEvent = request.Event;
        Interlocked.Increment(ref _requests);
        if (SecretReadClassifier.IsSecretRead(auditEvent.Verb, auditEvent.ObjectRef))
        {
            Interlocked.Increment(ref _secretReads);
            var outcome = OutcomeClassifier.Classify(auditEvent.ResponseCode, auditEvent.AuthorizationDecision);
            _secretReadsByOutcome.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        }

        if (auditEvent.SecretPayload != Core.Events.SecretPayload.None)
        {
            Interlocked.Increment(ref _secretPayloads);
        }
    }

    internal void RecordLate() => Interlocked.Increment(ref _late);

    internal void RecordStampedAhead(ApiRequest request)
    {
        Volatile.Write(ref _lastStampedAhead, request);
        Interlocked.Increment(ref _stampedAhead);
    }

    /// <summary>Writes of detection state (first_seen memories) that failed: disk full or read-only.</summary>
    public long StateWriteFailures => Interlocked.Read(ref _stateWriteFailures);

    internal void RecordStateWriteFailure() => Interlocked.Increment(ref _stateWriteFailures);

    public void RecordHandedBack(int events) => Interlocked.Add(ref _handedBack, events);

    internal void RecordEvaluated() => Interlocked.Increment(ref _evaluated);

    internal void RecordAbandoned(int requests) => Interlocked.Add(ref _abandoned, requests);

    internal void RecordAlert() => Interlocked.Increment(ref _alerts);

    internal void RecordEviction() => Interlocked.Increment(ref _evictions);

    /// <summary>Times each rule threw and started over with no state, by rule id.</summary>
    public IReadOnlyDictionary<string, long> RuleFailures => _ruleFailures.ToDictionary(e => e.Key, e => Interlocked.Read(ref e.Value.Value), StringComparer.Ordinal);

    /// <summary>Times any rule threw.</summary>
    public long RuleFailureTotal => _ruleFailures.Values.Sum(box => Interlocked.Read(ref box.Value));

    /// <summary>The last of <see cref="RuleFailures"/>, to name in a log or summary.</summary>
    public RuleFailure? LastRuleFailure => Volatile.Read(ref _lastRuleFailure);

    internal void RecordRuleFailure(RuleFailure failure)
    {
        Volatile.Write(ref _lastRuleFailure, failure);
        Interlocked.Increment(ref RuleFailuresOf(failure.Rule).Value);
    }

    /// <summary>The failure counter of one rule, made when the rule starts so that its metric exists, at 0, before a first failure.</summary>
    internal StrongBox<long> RuleFailuresOf(string rule) => _ruleFailures.GetOrAdd(rule, _ => new StrongBox<long>());

    /// <summary>The evaluation counter of one rule, to increment without a lookup per request.</summary>
    internal StrongBox<long> EvaluationsOf(string rule) => _evaluations.GetOrAdd(rule, _ => new StrongBox<long>());

    /// <summary>
    /// Registers a source of the number of groups a rule tracks in one pipeline (lanes add up) until the returned
    /// registration is disposed: a run that ended (its lane dropped with a Kafka partition, its rule changed by a
    /// reload) must neither be counted nor kept alive, with its groups, by the source.
    /// </summary>
    internal IDisposable TrackGroups(string rule, Func<int> count)
    {
        var sources = _trackedGroups.GetOrAdd(rule, _ => new ConcurrentDictionary<Func<int>, byte>());
        sources[count] = 0;
        return Disposable.Create(() => sources.TryRemove(count, out _));
    }
}
