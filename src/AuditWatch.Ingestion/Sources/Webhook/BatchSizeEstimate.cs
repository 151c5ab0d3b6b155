namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>
/// How many events a body of a given size probably holds, from the bodies accepted so far: lets a full queue refuse a
/// batch before decoding it (under overload most batches are refused, and decoding them was most of the work).
/// Errs towards fewer events, so that a batch that would fit is rarely refused early; one that slips through is
/// decoded and refused as before. Thread-safe.
/// </summary>
public sealed class BatchSizeEstimate
{
    // Assume events up to this much larger than the average so far.
    private const double Slack = 1.25;

    private long _bytes;
    private long _events;

    public void Accepted(long bodyBytes, int events)
    {
        Interlocked.Add(ref _bytes, bodyBytes);
        Interlocked.Add(ref _events, events);
    }

    /// <summary>At least one; one as long as nothing was accepted.</summary>
    public long EventsIn(long bodyBytes)
    {
        var events = Interlocked.Read(ref _events);
        var bytes = Interlocked.Read(ref _bytes);
        if (events == 0 || bytes == 0)
        {
            return 1;
        }

        return Math.Max(1, (long)(bodyBytes / (Slack * bytes / events)));
    }
}
