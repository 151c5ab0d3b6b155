using System.Runtime.InteropServices;
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
    private readonly Dictionary<RequestKey, StageSet> _seen = [];
    private readonly Queue<(RequestKey Key, DateTimeOffset Time)> _order = new();
    private DateTimeOffset _latest = DateTimeOffset.MinValue;

    public RequestCounter()
        : this(new RequestCounterOptions())
    {
    }

    /// <summary>Requests forgotten early because the memory was full.</summary>
    public long Evictions { get; private set; }

    public int Remembered => _seen.Count;

    public StageVerdict Observe(AuditEvent auditEvent)
    {
        if (auditEvent.Stage is AuditStage.RequestReceived or AuditStage.Unknown)
        {
            return StageVerdict.RequestReceivedIgnored;
        }

        var time = auditEvent.RequestTime;
        if (time > _latest)
        {
            _latest = time;
        }

        var key = new RequestKey(auditEvent.AuditId, auditEvent.User.Username, auditEvent.Verb, auditEvent.RequestUri, auditEvent.RequestReceivedTimestamp);
        var stage = StageSetOf(auditEvent.Stage);
        ref var stages = ref CollectionsMarshal.GetValueRefOrAddDefault(_seen, key, out var known);
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
        _order.Enqueue((key, time));
        Expire();
        return StageVerdict.Counted;
    }

    private void Expire()
    {
        var horizon = _latest - options.Memory;
        while (_order.TryPeek(out var oldest) && (oldest.Time < horizon || _seen.Count > options.Capacity))
        {
            _order.Dequeue();
            _seen.Remove(oldest.Key);
            if (oldest.Time >= horizon)
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

    private readonly record struct RequestKey(AuditId AuditId, string Username, string Verb, string? Uri, DateTimeOffset? Received)
    {
        // Audit ID and the apiserver's receive time (to the microsecond) tell requests apart however a client picks
        // its Audit-ID; hashing the user and URI strings as well cost more than the rare shared bucket. Equality still
        // compares every field. Without a receive time the client-chosen ID alone could crowd one bucket.
        public override int GetHashCode() => Received is { } received
            ? HashCode.Combine(AuditId, received.UtcTicks)
            : HashCode.Combine(AuditId, Username, Verb, Uri);
    }

    [Flags]
    private enum StageSet : byte
    {
        ResponseStarted = 1,
        ResponseComplete = 2,
        Panic = 4,
    }
}
