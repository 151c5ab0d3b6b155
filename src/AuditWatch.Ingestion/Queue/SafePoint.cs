namespace AuditWatch.Ingestion.Queue;

/// <summary>
/// A place inside a batch where its source can record progress before the whole batch is safe: once detection has
/// evaluated the <see cref="EventsBefore"/> first events of the batch (and every batch of the lane before it), the
/// source is told <see cref="Position"/> (for Kafka, the offset past the message those events came from).
/// </summary>
public readonly record struct SafePoint(int EventsBefore, long Position);
