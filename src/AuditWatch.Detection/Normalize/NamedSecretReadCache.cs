using System.Runtime.CompilerServices;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// The decoder hands out one shared <see cref="ObjectReference"/> per distinct objectRef, so the read of the Secret it
/// names can be shared too, and with it its "namespace/name" key, which windows keep for every read they remember.
/// Bounded, lock-free, direct-mapped and keyed by reference, like <see cref="IdentityCache"/>.
/// </summary>
internal static class NamedSecretReadCache
{
    private const int Slots = 8192;
    private static readonly Entry?[] Entries = new Entry?[Slots];

    /// <summary>The read of the one Secret <paramref name="objectRef"/> names (its name is not empty).</summary>
    public static SecretRead For(ObjectReference objectRef)
    {
        var slot = RuntimeHelpers.GetHashCode(objectRef) & (Slots - 1);
        if (Entries[slot] is { } entry && ReferenceEquals(entry.ObjectRef, objectRef))
        {
            return entry.Read;
        }

        var read = new SecretRead(SecretScope.Object, objectRef.Namespace, objectRef.Name);
        Entries[slot] = new Entry(objectRef, read);
        return read;
    }

    private sealed record Entry(ObjectReference ObjectRef, SecretRead Read);
}
