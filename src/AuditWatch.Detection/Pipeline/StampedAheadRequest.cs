using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Pipeline;

/// <summary>A request stamped too far ahead of the stream's time, named so that whoever reads the log can find it.</summary>
/// <param name="StreamTime">The stream's time (or this host's clock, if later) when it came.</param>
public sealed record StampedAheadRequest(AuditId AuditId, string User, DateTimeOffset Time, DateTimeOffset StreamTime);
