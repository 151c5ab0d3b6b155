using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Pipeline;

/// <summary>A request stamped too far ahead of the stream's time, named so that whoever reads the log can find it.</summary>
/// <param name="Time">The time it was stamped with.</param>
/// <param name="StreamTime">The stream's time when it came (this host's clock, before the stream had one).</param>
public sealed record StampedAheadRequest(AuditId AuditId, string User, DateTimeOffset Time, DateTimeOffset StreamTime);
