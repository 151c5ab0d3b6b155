using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// What tells one API request from another across its stages and redeliveries: auditID together with user, verb, URI
/// and receive time, since a client can choose its own Audit-ID header and auditID alone would let one request hide
/// another.
/// </summary>
/// <param name="ReceivedTicks">The apiserver's receive time as UTC ticks, <see cref="NoReceiveTime"/> when the event has none.</param>
internal readonly record struct RequestKey(AuditId AuditId, string Username, string Verb, string? Uri, long ReceivedTicks)
{
    public const long NoReceiveTime = long.MinValue;

    public static RequestKey Of(AuditEvent auditEvent) => new(
        auditEvent.AuditId,
        auditEvent.User.Username,
        auditEvent.Verb,
        auditEvent.RequestUri,
        auditEvent.RequestReceivedTimestamp?.UtcTicks ?? NoReceiveTime);

    // Audit ID and the apiserver's receive time (to the microsecond) tell requests apart however a client picks its
    // Audit-ID; hashing the user and URI strings as well cost more than the rare shared bucket. Equality still compares
    // every field. Without a receive time the client-chosen ID alone could crowd one bucket.
    public override int GetHashCode() => ReceivedTicks != NoReceiveTime
        ? HashCode.Combine(AuditId, ReceivedTicks)
        : HashCode.Combine(AuditId, Username, Verb, Uri);
}
