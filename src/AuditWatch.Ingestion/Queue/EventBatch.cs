using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Queue;

/// <summary>
/// Events accepted together from one source. <see cref="Processed"/> runs once detection has evaluated every event of
/// the batch and of its lane's batches before it: the watermark has passed them, so whatever alert they raise is out.
/// That is when a source may consider them safe (a file position is saved then, an offset stored); an event merely
/// taken may still wait up to the allowed lateness for the watermark, and a crash or a lane dropped then would lose it.
/// <see cref="Lane"/> names the detection pipeline the events go to: one for everything received locally, one per
/// Kafka partition (identities are partitioned, so each partition's windows are complete and ordered on their own).
/// A batch with <see cref="DropLane"/> ends its lane without resolving anything: the partition went to another owner.
/// A batch whose events were not all evaluated when its lane was dropped is never processed: no offset may be stored
/// past them, so the partition's next reader reads them again.
/// </summary>
public sealed record EventBatch(IReadOnlyList<AuditEvent> Events, string Source, Action? Processed = null, string Lane = EventBatch.LocalLane, bool DropLane = false)
{
    public const string LocalLane = "local";

    /// <summary>
    /// Runs once the batch has left detection's intake (<see cref="IngestQueue.MarkTaken"/>): all its events went into
    /// the pipeline, or it was let go unread. Its events may still wait for the watermark.
    /// </summary>
    public Action? Taken { get; init; }

    /// <summary>Places inside the batch, in order, where progress may be recorded before the whole batch is safe.</summary>
    public IReadOnlyList<SafePoint>? SafePoints { get; init; }

    /// <summary>Told the <see cref="SafePoint.Position"/> of each safe point once the events before it are evaluated.</summary>
    public Action<long>? SafePointReached { get; init; }

    /// <summary>Whether detection has to tell the source when the batch's events are safe.</summary>
    public bool WantsProgress => Processed is not null || SafePoints is { Count: > 0 };
}
