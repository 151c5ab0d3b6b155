using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// Makes one API request count once: at the first stage that carries a response status, whatever the stage order
/// and however often the webhook re-sends a batch. Memory is bounded by count and expires in event time.
/// </summary>
/// <remarks>
/// Stages are matched on auditID together with user, verb, URI and receive time: a client can choose its own
/// Audit-ID header, so auditID alone would let one request hide another.
/// </remarks>
/// <param name="forgottenEarly">Told of each request forgotten before its time because the memory was full.</param>
public sealed class RequestCounter(RequestCounterOptions options, Action? forgottenEarly = null)
{
    private readonly RememberedRequests _remembered = new(options.Capacity);
    private DateTimeOffset _latest = DateTimeOffset.MinValue;

    public RequestCounter()
        : this(new RequestCounterOptions())
    {
    }

    /// <summary>Requests forgotten early because the memory was full.</summary>
    public long Evictions { get; private set; }

    public int Remembered => _remembered.Count;

    /// <summary>Whether the event can ever become a request: RequestReceived holds no decision, an unknown stage no outcome.</summary>
    public static bool MayCount(AuditEvent auditEvent) => auditEvent.Stage is not (AuditStage.RequestReceived or AuditStage.Unknown);

    /// <param name="aheadJudgedAt">
    /// Set when the request is stamped too far ahead to be the stream's time (<see cref="Ordering.FutureStampCheck"/>,
    /// <see cref="Ordering.ReplayStampCheck"/>): the stream's time it is judged at. It does not move the memory's clock,
    /// which would forget every request remembered, and is remembered as of that time, also when it is the stream's
    /// first request.
    /// </param>
    public StageVerdict Observe(AuditEvent auditEvent, DateTimeOffset? aheadJudgedAt = null)
    {
        if (!MayCount(auditEvent))
        {
            return StageVerdict.RequestReceivedIgnored;
        }

        var time = auditEvent.RequestTime;
        if (aheadJudgedAt is { } judgedAt)
        {
            time = judgedAt;
        }
        else if (time > _latest)
        {
            _latest = time;
        }

        var stage = StageSetOf(auditEvent.Stage);
        ref var stages = ref _remembered.FindOrAdd(RequestKey.Of(auditEvent), time.UtcTicks, out var known);
        if (known)
        {
            if ((stages & stage) != 0)
            {
                return StageVerdict.Redelivery;
            }

            stages |= stage;
            return StageVerdict.LaterStage;
        }

        stages = stage;
        Expire();
        return StageVerdict.Counted;
    }

    private void Expire()
    {
        var horizon = _latest.UtcTicks - options.Memory.Ticks;
        while (_remembered.TryPeekOldest(out var oldest) && (oldest < horizon || _remembered.Count > options.Capacity))
        {
            _remembered.RemoveOldest();
            if (oldest >= horizon)
            {
                Evictions++;
                forgottenEarly?.Invoke();
            }
        }
    }

    private static StageSet StageSetOf(AuditStage stage) => stage switch
    {
        AuditStage.ResponseStarted => StageSet.ResponseStarted,
        AuditStage.ResponseComplete => StageSet.ResponseComplete,
        _ => StageSet.Panic,
    };
}
