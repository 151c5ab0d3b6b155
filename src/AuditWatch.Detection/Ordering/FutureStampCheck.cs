namespace AuditWatch.Detection.Ordering;

/// <summary>
/// Live mode: tells requests stamped too far ahead to be taken as the stream's time. One such request taken as the
/// newest would move the watermark with it, and every request after it would be late until real time caught up: no
/// window would see them. A request is ahead when its time is more than the allowed lateness beyond both this host's
/// clock and the stream's own time (the newest request time taken, plus the monotonic time since it came), so that
/// neither a backlog read hours late nor this host's clock stepped back marks anything.
/// </summary>
/// <remarks>
/// When for a whole allowed lateness nothing came but requests stamped ahead, many of them and less than a day ahead of
/// this host's clock, it is this host's clock that is behind (or the stream jumped, as a backlog read faster than real
/// time does across a gap): the next one is taken and the stream follows it. A few requests of a node with a broken
/// clock on a quiet stream are not enough, nor is any number stamped years ahead. Not thread-safe: one pipeline.
/// </remarks>
public sealed class FutureStampCheck(TimeSpan allowedLateness, TimeProvider clock)
{
    /// <summary>How many requests stamped ahead, with nothing else between them, are judged alone before they are followed.</summary>
    public const int AheadToFollow = 10;

    /// <summary>How far ahead of this host's clock a stamp may be and still be followed: a clock left unsynchronized drifts by hours, a broken one is years off.</summary>
    public static readonly TimeSpan FollowableSkew = TimeSpan.FromDays(1);

    private static readonly long NoTime = DateTimeOffset.MinValue.UtcTicks;

    private readonly long _toleranceTicks = StampTolerance.TicksFor(allowedLateness);
    private long _newestTicks = NoTime;
    private long _newestArrival;
    private long? _firstAheadArrival;
    private int _aheadInARow;

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
            if (_aheadInARow != 0)
            {
                _firstAheadArrival = null;
                _aheadInARow = 0;
            }

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

        _firstAheadArrival ??= now;
        _aheadInARow = Math.Min(_aheadInARow + 1, int.MaxValue - 1);
        if (_aheadInARow > AheadToFollow
            && clock.GetElapsedTime(_firstAheadArrival.Value, now).Ticks >= _toleranceTicks
            && ticks - hostTicks <= FollowableSkew.Ticks)
        {
            Take(ticks, now);
            return false;
        }

        LastAheadJudgedAt = new DateTimeOffset(Math.Min(started ? streamTicks : hostTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
        return true;
    }

    private void Take(long ticks, long now)
    {
        _firstAheadArrival = null;
        _aheadInARow = 0;
        _newestTicks = ticks;
        _newestArrival = now;
    }
}
