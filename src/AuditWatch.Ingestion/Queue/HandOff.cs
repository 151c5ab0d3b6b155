namespace AuditWatch.Ingestion.Queue;

/// <summary>
/// When a source may answer "accepted": at once when the event is queued for detection in this process, or (forwarder
/// mode) only once Kafka acknowledged it, waiting at most <see cref="Timeout"/>.
/// </summary>
public sealed record HandOff(bool WaitForAcknowledgement, TimeSpan Timeout)
{
    public static readonly HandOff Immediate = new(false, TimeSpan.Zero);
}
