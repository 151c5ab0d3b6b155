using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Ordering;

/// <summary>
/// Puts requests in event-time order behind a watermark (newest event time minus the allowed lateness), so the same
/// events give the same windows whatever order the webhook's batches arrived in. A request is the event of its counted
/// stage, and its event time is that event's request time. Not thread-safe: one pipeline, one thread.
/// </summary>
/// <param name="releasedEarly">Told of each request let out before its time because the buffer was full.</param>
public sealed class EventTimeOrderer(EventTimeOptions options, Action? releasedEarly = null)
{
    private readonly PendingRequests _pending = new();
    private long _sequence;
    private DateTimeOffset _newest = DateTimeOffset.MinValue;

    /// <summary>Events at or before this time are final: windows up to it can close.</summary>
    public DateTimeOffset Watermark { get; private set; } = DateTimeOffset.MinValue;

    public int Buffered => _pending.Count;

    /// <summary>Events that arrived behind the watermark: too late for windows, still seen by single-event rules.</summary>
    public long Late { get; private set; }

    /// <summary>Events released before the watermark reached them because the buffer was full.</summary>
    public long ForcedReleases { get; private set; }

    /// <summary>Adds a request; returns false when it is late (behind the watermark) and so was not buffered.</summary>
    public bool Add(AuditEvent request)
    {
        var time = request.RequestTime;
        if (time < Watermark)
        {
            Late++;
            return false;
        }

        _pending.Add(request, _sequence++);
        if (time > _newest)
        {
            _newest = time;
            MoveWatermark(Bounded(_newest.UtcTicks - options.AllowedLateness.Ticks));
        }

        return true;
    }

    /// <summary>
    /// Live mode, idle stream: the watermark moves on by the wall time that passed since the last event arrived, never
    /// to the wall clock's now, so a backlog read hours late still closes its windows exactly like a replay.
    /// </summary>
    public void AdvanceIdle(TimeSpan sinceLastArrival)
    {
        if (sinceLastArrival > TimeSpan.Zero && _newest != DateTimeOffset.MinValue)
        {
            MoveWatermark(Bounded(_newest.UtcTicks - options.AllowedLateness.Ticks + sinceLastArrival.Ticks));
        }
    }

    /// <summary>Forgets what is buffered (the pipeline was dropped).</summary>
    public void Clear() => _pending.Clear();

    /// <summary>End of input: everything buffered is final.</summary>
    public void Complete() => MoveWatermark(DateTimeOffset.MaxValue);

    /// <summary>Takes the requests the watermark has passed, oldest first, plus any forced out by the buffer limit.</summary>
    public IEnumerable<AuditEvent> TakeReleased()
    {
        while (TryTakeReleased(out var request))
        {
            yield return request;
        }
    }

    /// <summary>Takes the oldest request if the watermark has passed it or the buffer limit forces it out.</summary>
    public bool TryTakeReleased(out AuditEvent request)
    {
        if (!_pending.TryPeekOldest(out var time))
        {
            request = default;
            return false;
        }

        if (time > Watermark)
        {
            if (_pending.Count <= options.MaxBuffered)
            {
                request = default;
                return false;
            }

            ForcedReleases++;
            releasedEarly?.Invoke();
            MoveWatermark(time);
        }

        request = _pending.TakeOldest();
        return true;
    }

    // Within the calendar, and short of its end, which only the end of input reaches: stamps near year 1 or 9999 must
    // not overflow.
    private static DateTimeOffset Bounded(long ticks) =>
        new(Math.Clamp(ticks, 0, DateTimeOffset.MaxValue.UtcTicks - 1), TimeSpan.Zero);

    private void MoveWatermark(DateTimeOffset candidate)
    {
        if (candidate > Watermark)
        {
            Watermark = candidate;
        }
    }
}
