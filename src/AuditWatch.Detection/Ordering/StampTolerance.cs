namespace AuditWatch.Detection.Ordering;

/// <summary>How far beyond the stream's time a request may be stamped and still be taken as its time, live and in replay.</summary>
internal static class StampTolerance
{
    // With no lateness allowed at all, a few milliseconds between two clocks are still no reason to judge a request alone.
    private static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);

    public static long TicksFor(TimeSpan allowedLateness) => Math.Max(allowedLateness.Ticks, Minimum.Ticks);
}
