namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>
/// How many events a body of a given size probably holds, from the bodies accepted so far: lets a full queue refuse a
/// batch before decoding it (under overload most batches are refused, and decoding them was most of the work).
/// Errs towards fewer events, so that a batch that would fit is rarely refused early; one that slips through is
/// decoded and refused as before. Never more than the largest batch accepted so far (the apiserver's batches have a
/// fixed maximum), so a body of unusually small events is not held back as if it were huge. Thread-safe.
/// </summary>
public sealed class BatchSizeEstimate
{
    // Assume events up to this much larger than the average so far.
    private const double Slack = 1.25;

    private long _bytes;
    private long _events;
    private long _largestBatch;

    public void Accepted(long bodyBytes, int events)
    {
        Interlocked.Add(ref _bytes, bodyBytes);
        Interlocked.Add(ref _events, events);
        var largest = Interlocked.Read(ref _largestBatch);
        while (events > largest && Interlocked.CompareExchange(ref _largestBatch, events, largest) != largest)
        {
            largest = Interlocked.Read(ref _largestBatch);
        }
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

        var estimate = (long)(bodyBytes / (Slack * bytes / events));
        return Math.Clamp(estimate, 1, Math.Max(1, Interlocked.Read(ref _largestBatch)));
    }
}
