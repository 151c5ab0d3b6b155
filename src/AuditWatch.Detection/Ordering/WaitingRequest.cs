using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Ordering;

/// <summary>A request waiting for the watermark, with what orders it: its request time, then its arrival number.</summary>
internal readonly record struct WaitingRequest(long TimeTicks, long Sequence, AuditEvent Event)
{
    public (long TimeTicks, long Sequence) Key => (TimeTicks, Sequence);

    public static IComparer<WaitingRequest> Order { get; } = new TimeThenArrival();

    private sealed class TimeThenArrival : IComparer<WaitingRequest>
    {
        public int Compare(WaitingRequest x, WaitingRequest y) => x.Key.CompareTo(y.Key);
    }
}
