using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// What tells one API request from another across its stages and redeliveries: auditID together with user, verb, URI
/// and receive time, since a client can choose its own Audit-ID header and auditID alone would let one request hide
/// another. Held without references (the UUID's bytes, the receive time, and a keyed 64-bit fingerprint of the user,
/// verb, URI and any audit ID that is not a UUID), so the request memory is arrays the collector never scans: with
/// references in its entries (up to a million, seconds to minutes old), every gen0 collection scanned them, and those
/// pauses were the p99 latency.
/// </summary>
/// <param name="ReceivedTicks">The apiserver's receive time as UTC ticks, <see cref="NoReceiveTime"/> when the event has none.</param>
internal readonly record struct RequestKey(Guid Uuid, long ReceivedTicks, ulong Fingerprint)
{
    public const long NoReceiveTime = long.MinValue;

    // Random per process, like a string's hash: a client choosing its Audit-ID cannot choose fingerprints.
    private static readonly long Seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

    public static RequestKey Of(AuditEvent auditEvent)
    {
        var auditId = auditEvent.AuditId;
        var isUuid = auditId.TryGetUuid(out var uuid);
        var fingerprint = Chain(Seed, auditEvent.User.Username);
        fingerprint = Chain(fingerprint, auditEvent.Verb);
        fingerprint = Chain(fingerprint, auditEvent.RequestUri);
        fingerprint = Chain(fingerprint, isUuid ? null : auditId.ToString());
        return new RequestKey(isUuid ? uuid : Guid.Empty, auditEvent.RequestReceivedTimestamp?.UtcTicks ?? NoReceiveTime, (ulong)fingerprint);
    }

    // Each part hashed with the hash so far as its seed, so parts cannot run into each other; a missing part is not "".
    private static long Chain(long seed, string? text) => text is null
        ? unchecked((seed * 31) + 17)
        : (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()), seed);

    public override int GetHashCode() => HashCode.Combine(Uuid, ReceivedTicks, Fingerprint);
}
