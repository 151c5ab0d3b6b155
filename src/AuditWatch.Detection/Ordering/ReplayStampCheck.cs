using AuditWatch.Core.Events;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Ordering;

/// <summary>
/// Replay: tells requests stamped too far ahead to be the stream's time by the entries the recording holds after them.
/// A recording has no clock to judge against, and at first a long quiet gap and a broken stamp look alike. A request
/// more than the allowed lateness beyond the newest request time taken (at the start, any request) is held, and each
/// later entry votes on it by when it was written (its stage time): within the lateness of the stamp or after it, the
/// recording did reach that time; more than the lateness before it, the stamp is ahead of the recording. Taking a
/// broken stamp would blind every window until the recording caught up, while judging one real request alone costs
/// only its own windows, so the votes are weighed unevenly: <see cref="VotesAhead"/> against it judge it alone, as
/// stamped ahead, and the stream's time stays; it is followed after <see cref="VotesToFollow"/> for it, as soon as the
/// stream comes within the lateness of it (requests a little out of order), or at the end of the recording.
/// </summary>
/// <remarks>
/// A watch that began before a gap and ended after it carries the old request time, but its stage time shows that the
/// gap was real. A node with a broken clock is followed only if it writes nearly all of the recording's entries. What
/// is not held passes at once; held requests leave in the order they came whenever they can. Not thread-safe: one
/// pipeline.
/// </remarks>
public sealed class ReplayStampCheck(TimeSpan allowedLateness)
{
    /// <summary>Later entries written more than the lateness before a stamp that judge it to be ahead.</summary>
    public const int VotesAhead = 3;

    /// <summary>Later entries written at or after a stamp (less the lateness) that let the stream follow it.</summary>
    public const int VotesToFollow = 100;

    private static readonly TimeSpan MinimumTolerance = TimeSpan.FromSeconds(1);
    private static readonly long NoTime = DateTimeOffset.MinValue.UtcTicks;

    private readonly long _toleranceTicks = Math.Max(allowedLateness.Ticks, MinimumTolerance.Ticks);
    private readonly List<HeldRequest> _held = [];
    private long _newestTicks = NoTime;

    /// <summary>Requests held right now, waiting for the entries after them.</summary>
    public int Held => _held.Count;

    /// <summary>
    /// Hands the event to <paramref name="pass"/>, now or later, with the time it is judged at when it is stamped ahead
    /// (the stream's time when that was decided, so that its incident is not decades away from the group's others), or
    /// null.
    /// </summary>
    public void Judge(AuditEvent auditEvent, Action<AuditEvent, DateTimeOffset?> pass)
    {
        if (!RequestCounter.MayCount(auditEvent))
        {
            pass(auditEvent, null);
            return;
        }

        if (_held.Count != 0)
        {
            Vote(auditEvent.StageTimestamp.UtcTicks);
            PassDecided(pass);
        }

        var ticks = auditEvent.RequestTime.UtcTicks;
        if (_newestTicks == NoTime || ticks - _toleranceTicks > _newestTicks)
        {
            _held.Add(new HeldRequest(auditEvent));
            return;
        }

        _newestTicks = Math.Max(_newestTicks, ticks);
        pass(auditEvent, null);
        if (_held.Count != 0)
        {
            PassDecided(pass);
        }
    }

    /// <summary>At the end of the recording nothing after it can be blinded: what is not judged ahead is followed.</summary>
    public void Complete(Action<AuditEvent, DateTimeOffset?> pass)
    {
        foreach (var held in _held)
        {
            if (held.JudgedAheadAt is null)
            {
                held.Followed = true;
            }
        }

        PassDecided(pass);
    }

    private void Vote(long writtenTicks)
    {
        // Before the stream has a time, the time the deciding entry was written is the recording's.
        var judgedAt = new DateTimeOffset(_newestTicks == NoTime ? writtenTicks : _newestTicks, TimeSpan.Zero);
        foreach (var held in _held)
        {
            if (held.Followed || held.JudgedAheadAt is not null)
            {
                continue;
            }

            if (writtenTicks >= held.Ticks - _toleranceTicks)
            {
                held.Followed = ++held.For >= VotesToFollow;
            }
            else if (++held.Against >= VotesAhead)
            {
                held.JudgedAheadAt = judgedAt;
            }
        }
    }

    /// <summary>
    /// Passes, first come first, every held request that is decided or that the stream has come within reach of; one
    /// followed may bring others within reach.
    /// </summary>
    private void PassDecided(Action<AuditEvent, DateTimeOffset?> pass)
    {
        for (var index = FirstPassable(); index >= 0; index = FirstPassable())
        {
            var held = _held[index];
            _held.RemoveAt(index);
            if (held.Followed || InReach(held))
            {
                _newestTicks = Math.Max(_newestTicks, held.Ticks);
                pass(held.Event, null);
            }
            else
            {
                pass(held.Event, held.JudgedAheadAt);
            }
        }
    }

    private int FirstPassable()
    {
        for (var index = 0; index < _held.Count; index++)
        {
            var held = _held[index];
            if (held.Followed || held.JudgedAheadAt is not null || InReach(held))
            {
                return index;
            }
        }

        return -1;
    }

    private bool InReach(HeldRequest held) => _newestTicks != NoTime && held.Ticks - _toleranceTicks <= _newestTicks;

    private sealed class HeldRequest(AuditEvent auditEvent)
    {
        public AuditEvent Event { get; } = auditEvent;

        public long Ticks { get; } = auditEvent.RequestTime.UtcTicks;

        public int For { get; set; }

        public int Against { get; set; }

        public bool Followed { get; set; }

        public DateTimeOffset? JudgedAheadAt { get; set; }
    }
}
