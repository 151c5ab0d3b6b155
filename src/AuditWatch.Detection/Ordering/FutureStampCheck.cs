namespace AuditWatch.Detection.Ordering;

/// <summary>
/// Live mode: tells requests stamped too far ahead to be taken as the stream's time. One such request taken as the
/// newest would move the watermark with it, and every request after it would be late until real time caught up: no
/// window would see them. A request is ahead when its time is more than the allowed lateness beyond both this host's
/// clock and the stream's own time (the newest request time taken, plus the monotonic time since it came), so that
/// neither a backlog read hours late nor this host's clock stepped back marks anything.
/// </summary>
/// <remarks>
/// When nothing but requests stamped ahead arrived for a whole allowed lateness, it is this host's clock that is
/// behind (or the whole source moved on): the next one is taken, and the stream's time follows it. Requests stamped
/// ahead among on-time ones (one control-plane node with a broken clock) are never taken. Not thread-safe: one pipeline.
/// </remarks>
public sealed class FutureStampCheck(TimeSpan tolerance, TimeProvider clock)
{
    private long _newestTicks = DateTimeOffset.MinValue.UtcTicks;
    private long _newestArrival;
    private long? _aheadSince;

    /// <summary>The stream's time when the last request was judged ahead, to say how far ahead it was.</summary>
    public DateTimeOffset StreamTimeOfLastAhead { get; private set; }

    /// <summary>Judges one request time; a request not ahead is taken as part of the stream's time.</summary>
    public bool IsAhead(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        if (ticks <= _newestTicks)
        {
            _aheadSince = null;
            return false;
        }

        var now = clock.GetTimestamp();
        var streamTicks = _newestTicks == DateTimeOffset.MinValue.UtcTicks
            ? DateTimeOffset.MinValue.UtcTicks
            : _newestTicks + clock.GetElapsedTime(_newestArrival, now).Ticks;
        if (ticks - tolerance.Ticks <= streamTicks)
        {
            Take(ticks, now);
            return false;
        }

        var reference = Math.Max(streamTicks, clock.GetUtcNow().UtcTicks);
        if (ticks - tolerance.Ticks <= reference)
        {
            Take(ticks, now);
            return false;
        }

        _aheadSince ??= now;
        if (clock.GetElapsedTime(_aheadSince.Value, now) >= tolerance)
        {
            Take(ticks, now);
            return false;
        }

        StreamTimeOfLastAhead = new DateTimeOffset(Math.Min(reference, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
        return true;
    }

    private void Take(long ticks, long now)
    {
        _aheadSince = null;
        _newestTicks = ticks;
        _newestArrival = now;
    }
}
