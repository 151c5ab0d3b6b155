using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Queue;

/// <summary>
/// Events accepted together from one source. <see cref="Processed"/> runs once detection has taken every event of the
/// batch, which is when a source may consider them safe (a file position is saved then, an offset committed).
/// <see cref="Lane"/> names the detection pipeline the events go to: one for everything received locally, one per
/// Kafka partition (identities are partitioned, so each partition's windows are complete and ordered on their own).
/// A batch with <see cref="DropLane"/> ends its lane without resolving anything: the partition went to another owner.
/// <see cref="Released"/> runs instead of <see cref="Processed"/> for a batch let go unread when its lane was dropped:
/// its events are not safe (no offset may be stored for them), only no longer in AuditWatch's hands.
/// </summary>
public sealed record EventBatch(IReadOnlyList<AuditEvent> Events, string Source, Action? Processed = null, string Lane = EventBatch.LocalLane, bool DropLane = false)
{
    public const string LocalLane = "local";

    public Action? Released { get; init; }
}
