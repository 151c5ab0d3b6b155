using AuditWatch.Core.Events;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Ordering;

/// <summary>
/// Replay: tells requests stamped too far ahead to be the stream's time by the entries the recording holds after them.
/// A recording has no clock to judge against, and at first a long quiet gap and a broken stamp look alike. A request
/// more than the allowed lateness beyond the newest request time taken is held, and each later entry votes on it by
/// when it was written (its stage time): within the lateness of the stamp or after it, the recording did reach that
/// time; more than the lateness before it, the stamp is ahead of the recording. Taking a broken stamp would blind every
/// window until the recording caught up, while judging one real request alone costs only its windows, so the votes are
/// weighed unevenly: <see cref="VotesAhead"/> against it judge it alone, as stamped ahead, and the stream's time stays;
/// it is followed after <see cref="VotesToFollow"/> for it, or at once when the stream comes within the lateness of it
/// (requests a little out of order). Held requests leave in the order they came; other requests pass at once.
/// </summary>
/// <remarks>
/// A watch that began before a gap and ended after it carries the old request time, but its stage time shows that the
/// gap was real. A node with a broken clock is followed only if it writes nearly all of the recording's entries. At
/// the end of the recording a held request is judged by the votes it has, and followed on a tie. Not thread-safe: one
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
    /// (the stream's time then), or null.
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
        if (_newestTicks != NoTime && ticks - _toleranceTicks > _newestTicks)
        {
            _held.Add(new HeldRequest(auditEvent));
            return;
        }

        _newestTicks = Math.Max(_newestTicks, ticks);
        pass(auditEvent, null);
        PassDecided(pass);
    }

    /// <summary>At the end of the recording no more votes come: each held request is judged by those it has.</summary>
    public void Complete(Action<AuditEvent, DateTimeOffset?> pass)
    {
        foreach (var held in _held)
        {
            if (held.Verdict == HeldVerdict.Open)
            {
                held.Verdict = held.Against > held.For ? HeldVerdict.Ahead : HeldVerdict.Follow;
            }
        }

        PassDecided(pass);
    }

    private void Vote(long writtenTicks)
    {
        foreach (var held in _held)
        {
            if (held.Verdict != HeldVerdict.Open)
            {
                continue;
            }

            if (writtenTicks >= held.Ticks - _toleranceTicks)
            {
                if (++held.For >= VotesToFollow)
                {
                    held.Verdict = HeldVerdict.Follow;
                }
            }
            else if (++held.Against >= VotesAhead)
            {
                held.Verdict = HeldVerdict.Ahead;
            }
        }
    }

    /// <summary>Passes the held requests from the first on, while each is decided or the stream has come within reach of it.</summary>
    private void PassDecided(Action<AuditEvent, DateTimeOffset?> pass)
    {
        var passed = 0;
        while (passed < _held.Count)
        {
            var held = _held[passed];
            if (held.Verdict == HeldVerdict.Ahead)
            {
                pass(held.Event, new DateTimeOffset(_newestTicks, TimeSpan.Zero));
            }
            else if (held.Verdict == HeldVerdict.Follow || held.Ticks - _toleranceTicks <= _newestTicks)
            {
                _newestTicks = Math.Max(_newestTicks, held.Ticks);
                pass(held.Event, null);
            }
            else
            {
                break;
            }

            passed++;
        }

        _held.RemoveRange(0, passed);
    }

    private enum HeldVerdict
    {
        Open,
        Ahead,
        Follow,
    }

    private sealed class HeldRequest(AuditEvent auditEvent)
    {
        public AuditEvent Event { get; } = auditEvent;

        public long Ticks { get; } = auditEvent.RequestTime.UtcTicks;

        public int For { get; set; }

        public int Against { get; set; }

        public HeldVerdict Verdict { get; set; }
    }
}
