namespace AuditWatch.Detection.Ordering;

/// <summary>
/// Live mode: tells requests stamped too far ahead to be taken as the stream's time. One such request taken as the
/// newest would move the watermark with it, and every request after it would be late until real time caught up: no
/// window would see them. A request is ahead when its time is more than the allowed lateness beyond both this host's
/// clock and the stream's own time (the newest request time taken, plus the monotonic time since it came), so that
/// neither a backlog read hours late nor this host's clock stepped back marks anything.
/// </summary>
/// <remarks>
/// Once the stream has a time of its own it never follows a request stamped ahead: its time runs on the monotonic
/// clock from then on, whatever this host's clock says. Before that, a lane whose requests are all stamped ahead for
/// a whole allowed lateness takes the next one: it is this host's clock that is behind. Not thread-safe: one pipeline.
/// </remarks>
public sealed class FutureStampCheck(TimeSpan allowedLateness, TimeProvider clock)
{
    // With no lateness allowed at all, a few milliseconds between two clocks are still no reason to judge a request alone.
    private static readonly TimeSpan MinimumTolerance = TimeSpan.FromSeconds(1);
    private static readonly long NoTime = DateTimeOffset.MinValue.UtcTicks;

    private readonly long _toleranceTicks = Math.Max(allowedLateness.Ticks, MinimumTolerance.Ticks);
    private long _newestTicks = NoTime;
    private long _newestArrival;
    private long? _firstAheadArrival;

    /// <summary>
    /// The time the last request judged ahead is judged at: the stream's time when it came (this host's clock, before
    /// the stream has a time), so that its incident is not decades away from the group's others.
    /// </summary>
    public DateTimeOffset LastAheadJudgedAt { get; private set; }

    /// <summary>Judges one request time; one that is not ahead is taken as part of the stream's time.</summary>
    public bool IsAhead(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        if (ticks <= _newestTicks)
        {
            return false;
        }

        var now = clock.GetTimestamp();
        var started = _newestTicks != NoTime;
        var streamTicks = started ? _newestTicks + clock.GetElapsedTime(_newestArrival, now).Ticks : NoTime;
        if (ticks - _toleranceTicks <= streamTicks)
        {
            Take(ticks, now);
            return false;
        }

        var hostTicks = clock.GetUtcNow().UtcTicks;
        if (ticks - _toleranceTicks <= Math.Max(streamTicks, hostTicks))
        {
            Take(ticks, now);
            return false;
        }

        if (!started)
        {
            _firstAheadArrival ??= now;
            if (clock.GetElapsedTime(_firstAheadArrival.Value, now).Ticks >= _toleranceTicks)
            {
                Take(ticks, now);
                return false;
            }
        }

        LastAheadJudgedAt = new DateTimeOffset(Math.Min(started ? streamTicks : hostTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
        return true;
    }

    private void Take(long ticks, long now)
    {
        _newestTicks = ticks;
        _newestArrival = now;
    }
}
