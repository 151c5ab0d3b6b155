using System.Runtime.CompilerServices;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Evidence;

/// <summary>
/// The evidence contexts of one rule's groups, shared between groups as well as between a group's neighbouring
/// requests: identities that work alike (one namespace, address and tool) each kept a copy of the same context.
/// </summary>
/// <remarks>
/// A small direct-mapped table of the contexts made last, found by the instances of the parts, which the decoder
/// shares: an equal part in another instance only misses the table, and a context is taken only when it describes the
/// request in full. Not thread-safe: one rule run.
/// </remarks>
internal sealed class EvidenceContexts
{
    private const int Slots = 256;

    // Made on first use: only windows keep evidence, and most rules have none.
    private EvidenceContext?[]? _recent;

    /// <summary><paramref name="neighbour"/> when it describes <paramref name="request"/>, else a context that does.</summary>
    public EvidenceContext For(ApiRequest request, EvidenceContext? neighbour)
    {
        if (neighbour is not null && neighbour.Describes(request))
        {
            return neighbour;
        }

        _recent ??= new EvidenceContext?[Slots];
        ref var slot = ref _recent[SlotOf(request)];
        if (slot is null || !slot.Describes(request))
        {
            slot = EvidenceContext.Of(request);
        }

        return slot;
    }

    private static int SlotOf(ApiRequest request) => HashCode.Combine(
        RuntimeHelpers.GetHashCode(request.Namespace),
        RuntimeHelpers.GetHashCode(request.UserAgent),
        RuntimeHelpers.GetHashCode(request.SourceIps),
        RuntimeHelpers.GetHashCode(request.Identity.ImpersonatedUser),
        request.Outcome) & (Slots - 1);
}
