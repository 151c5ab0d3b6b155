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
/// request in full. A context with a long user agent or impersonated name is not kept, as the decoder keeps no long
/// description: the table outlives the groups, and would hold such a string until another context took its slot. Nor
/// is one that holds an audit ID of text: only reads that repeat that ID could take it, and a group's next such read
/// finds it as its neighbour. Not thread-safe: one rule run.
/// </remarks>
internal sealed class EvidenceContexts
{
    private const int Slots = 256;
    private const int MaxKeptCharacters = 1_024;

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
        if (slot is not null && slot.Describes(request))
        {
            return slot;
        }

        var context = EvidenceContext.Of(request);
        if (context.AuditIdText is null && (context.UserAgent?.Length ?? 0) + (context.ImpersonatedUser?.Length ?? 0) <= MaxKeptCharacters)
        {
            slot = context;
        }

        return context;
    }

    private static int SlotOf(ApiRequest request) => HashCode.Combine(
        RuntimeHelpers.GetHashCode(request.Namespace),
        RuntimeHelpers.GetHashCode(request.UserAgent),
        RuntimeHelpers.GetHashCode(request.SourceIps),
        RuntimeHelpers.GetHashCode(request.Identity.ImpersonatedUser),
        (int)request.Outcome) & (Slots - 1);
}
