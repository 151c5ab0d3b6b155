using AuditWatch.Core.Events;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Ordering;

/// <summary>
/// Replay: tells requests stamped too far ahead to be the stream's time by the entries the recording holds after them.
/// A recording has no clock to judge against, and at first a long quiet gap and a broken stamp look alike. A request
/// more than the allowed lateness beyond the newest request time taken (at the start, any request) is held, and the
/// entries after it wait behind it, so that everything still reaches the rules in the order it came. Each later entry
/// votes on it by when it was written (its stage time): within the lateness of the stamp or after it, the recording did
/// reach that time; more than the lateness before it, the stamp is ahead of the recording, and taking it would make
/// that entry late. Taking a broken stamp blinds every window until the recording catches up, while judging one real
/// request alone costs only its own windows, so the votes are weighed unevenly: <see cref="VotesAhead"/> against it
/// judge it alone, as stamped ahead, and the stream's time stays; it is followed after <see cref="VotesToFollow"/> for
/// it, or at the end of the recording (nothing after it is left to blind).
/// </summary>
/// <remarks>
/// Unless a request is judged ahead, the rules see exactly what they saw when every stamp was taken as it came, so
/// replay still gives what the live service gives for the same events. A watch that began before a gap and ended after
/// it carries the old request time, but its stage time shows that the gap was real. A node with a broken clock is
/// followed only if it writes nearly all of the recording's entries. Not thread-safe: one pipeline.
/// </remarks>
public sealed class ReplayStampCheck(TimeSpan allowedLateness)
{
    /// <summary>Later entries written more than the lateness before a stamp that judge it to be ahead.</summary>
    public const int VotesAhead = 3;

    /// <summary>Later entries written at or after a stamp (less the lateness) that let the stream follow it.</summary>
    public const int VotesToFollow = 100;

    private static readonly long NoTime = DateTimeOffset.MinValue.UtcTicks;

    private readonly long _toleranceTicks = StampTolerance.TicksFor(allowedLateness);
    private readonly Queue<HeldRequest> _held = new();
    private long _newestTicks = NoTime;
    private int _undecided;

    /// <summary>Requests held right now: the first waits for the entries after it, the others wait behind it.</summary>
    public int Held => _held.Count;

    /// <summary>
    /// Hands the event to <paramref name="pass"/>, now or later, with the time it is judged at when it is stamped ahead
    /// (the stream's time when it leaves, so that its incident is not decades away from the group's others), or null.
    /// </summary>
    public void Judge(AuditEvent auditEvent, Action<AuditEvent, DateTimeOffset?> pass)
    {
        if (!RequestCounter.MayCount(auditEvent))
        {
            pass(auditEvent, null);
            return;
        }

        if (_undecided != 0)
        {
            Vote(auditEvent.StageTimestamp.UtcTicks);
        }

        var ticks = auditEvent.RequestTime.UtcTicks;
        if (_held.Count == 0 && !IsAhead(ticks))
        {
            _newestTicks = Math.Max(_newestTicks, ticks);
            pass(auditEvent, null);
            return;
        }

        var held = new HeldRequest(auditEvent, ticks);
        if (IsAhead(ticks))
        {
            held.Undecided = true;
            _undecided++;
        }

        _held.Enqueue(held);
        PassReady(pass);
    }

    /// <summary>At the end of the recording nothing after a stamp is left to blind: what is not judged ahead is followed.</summary>
    public void Complete(Action<AuditEvent, DateTimeOffset?> pass)
    {
        foreach (var held in _held)
        {
            if (held.Undecided)
            {
                Decide(held, judgedAheadWhenWritten: null);
            }
        }

        PassReady(pass);
    }

    private bool IsAhead(long ticks) => _newestTicks == NoTime || ticks - _toleranceTicks > _newestTicks;

    private void Vote(long writtenTicks)
    {
        foreach (var held in _held)
        {
            if (!held.Undecided)
            {
                continue;
            }

            if (writtenTicks >= held.Ticks - _toleranceTicks)
            {
                if (++held.For >= VotesToFollow)
                {
                    Decide(held, judgedAheadWhenWritten: null);
                }
            }
            else if (++held.Against >= VotesAhead)
            {
                Decide(held, judgedAheadWhenWritten: writtenTicks);
            }
        }
    }

    /// <param name="judgedAheadWhenWritten">Judged ahead: when the entry that decided it was written. None: followed.</param>
    private void Decide(HeldRequest held, long? judgedAheadWhenWritten)
    {
        held.Undecided = false;
        held.JudgedAheadWhenWritten = judgedAheadWhenWritten;
        _undecided--;
    }

    /// <summary>
    /// Passes held requests from the first on while each is decided or, after the stream moved, no longer ahead. One
    /// judged ahead while others waited before it is judged again when its turn comes: it was voted on against the
    /// stream's time without them, and once they are followed it may be within reach after all.
    /// </summary>
    private void PassReady(Action<AuditEvent, DateTimeOffset?> pass)
    {
        while (_held.TryPeek(out var held))
        {
            var ahead = IsAhead(held.Ticks);
            if (held.Undecided && ahead)
            {
                return;
            }

            _held.Dequeue();
            if (held.Undecided)
            {
                Decide(held, judgedAheadWhenWritten: null);
            }

            if (ahead && held.JudgedAheadWhenWritten is { } written)
            {
                // Before the stream has a time, the time the deciding entry was written is the recording's.
                pass(held.Event, new DateTimeOffset(_newestTicks == NoTime ? written : _newestTicks, TimeSpan.Zero));
            }
            else
            {
                _newestTicks = Math.Max(_newestTicks, held.Ticks);
                pass(held.Event, null);
            }
        }
    }

    private sealed class HeldRequest(AuditEvent auditEvent, long ticks)
    {
        public AuditEvent Event { get; } = auditEvent;

        public long Ticks { get; } = ticks;

        public int For { get; set; }

        public int Against { get; set; }

        /// <summary>Stamped ahead of the stream when it came, and not yet judged.</summary>
        public bool Undecided { get; set; }

        /// <summary>Judged ahead: when the entry that decided it was written.</summary>
        public long? JudgedAheadWhenWritten { get; set; }
    }
}
