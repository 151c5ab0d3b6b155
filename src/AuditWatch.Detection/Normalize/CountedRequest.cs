using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// A request counted once (<see cref="RequestCounter"/>), not yet normalized: the event of its counted stage. A value
/// with no object of its own (what it references is shared between events), so that the requests waiting for the
/// watermark, a million at a fleet's rate and up to a minute old, give the collector no object per request to copy into
/// older generations; each becomes an <see cref="ApiRequest"/> only on its way to the rules.
/// </summary>
/// <param name="AheadJudgedAt">Set when the request is stamped ahead: the stream's time it is judged at.</param>
public readonly record struct CountedRequest(AuditEvent Event, DateTimeOffset? AheadJudgedAt = null)
{
    public bool StampedAhead => AheadJudgedAt is not null;

    public ApiRequest Normalize() => RequestNormalizer.Normalize(Event, AheadJudgedAt);
}
