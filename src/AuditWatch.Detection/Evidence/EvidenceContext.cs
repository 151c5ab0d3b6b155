using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Evidence;

/// <summary>
/// What an alert reports of a request besides its object, audit ID and time: namespace, addresses, user agent,
/// outcome, impersonated user. One identity's reads mostly agree on all of it, so a window shares one of these between
/// consecutive reads that do, instead of keeping five references per read.
/// </summary>
internal sealed class EvidenceContext
{
    private EvidenceContext(ApiRequest request)
    {
        Namespace = request.Namespace;
        SourceIps = request.SourceIps;
        UserAgent = request.UserAgent;
        Outcome = request.Outcome;
        ImpersonatedUser = request.Identity.ImpersonatedUser;
    }

    public string? Namespace { get; }

    public IReadOnlyList<string> SourceIps { get; }

    public string? UserAgent { get; }

    public RequestOutcome Outcome { get; }

    public string? ImpersonatedUser { get; }

    /// <summary><paramref name="previous"/> when it describes <paramref name="request"/> too, otherwise a new context.</summary>
    public static EvidenceContext For(ApiRequest request, EvidenceContext? previous) =>
        previous is not null && previous.Describes(request) ? previous : new EvidenceContext(request);

    private bool Describes(ApiRequest request) =>
        Outcome == request.Outcome
        && string.Equals(Namespace, request.Namespace, StringComparison.Ordinal)
        && string.Equals(UserAgent, request.UserAgent, StringComparison.Ordinal)
        && string.Equals(ImpersonatedUser, request.Identity.ImpersonatedUser, StringComparison.Ordinal)
        && (ReferenceEquals(SourceIps, request.SourceIps) || SourceIps.SequenceEqual(request.SourceIps));
}
