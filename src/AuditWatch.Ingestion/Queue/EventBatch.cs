using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Queue;

/// <summary>
/// Events accepted together from one source. <see cref="Processed"/> runs once detection has taken every event of the
/// batch, which is when a source may consider them safe (a file position is saved then, an offset committed).
/// </summary>
public sealed record EventBatch(IReadOnlyList<AuditEvent> Events, string Source, Action? Processed = null);
