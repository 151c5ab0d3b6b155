using System.Runtime.CompilerServices;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// The decoder hands out one shared <see cref="UserInfo"/> per distinct user object, so the identity parsed from it can
/// be shared too: a bounded, lock-free, direct-mapped cache keyed by reference. A miss parses as before.
/// </summary>
internal static class IdentityCache
{
    private const int Slots = 4096;
    private static readonly Entry?[] Entries = new Entry?[Slots];

    public static Identity Parse(UserInfo user, UserInfo? impersonated)
    {
        var slot = (RuntimeHelpers.GetHashCode(user) ^ (impersonated is null ? 0 : RuntimeHelpers.GetHashCode(impersonated) * 31)) & (Slots - 1);
        if (Entries[slot] is { } entry && ReferenceEquals(entry.User, user) && ReferenceEquals(entry.Impersonated, impersonated))
        {
            return entry.Identity;
        }

        var identity = IdentityParser.Parse(user, impersonated);
        Entries[slot] = new Entry(user, impersonated, identity);
        return identity;
    }

    private sealed record Entry(UserInfo User, UserInfo? Impersonated, Identity Identity);
}
