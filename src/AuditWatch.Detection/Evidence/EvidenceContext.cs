using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Evidence;

/// <summary>
/// What an alert reports of a request besides its object, audit ID and time: namespace, addresses, user agent,
/// outcome, impersonated user. One identity's reads mostly agree on all of it, and so do identities that work alike, so
/// windows share these (<see cref="EvidenceContexts"/>) instead of keeping five references per read.
/// </summary>
/// <remarks>
/// It also holds the audit ID of a request whose ID is not a UUID (a client may send any <c>Audit-ID</c> header),
/// which makes it describe only reads that carry that ID: a read keeps the UUID that nearly every request has as 16
/// bytes, and no reference beside it for the rare text.
/// </remarks>
internal sealed class EvidenceContext
{
    private EvidenceContext(ApiRequest request)
    {
        Namespace = request.Namespace;
        SourceIps = request.SourceIps;
        UserAgent = request.UserAgent;
        Outcome = request.Outcome;
        ImpersonatedUser = request.Identity.ImpersonatedUser;
        AuditIdText = request.AuditId.Text;
    }

    public string? Namespace { get; }

    public IReadOnlyList<string> SourceIps { get; }

    public string? UserAgent { get; }

    public RequestOutcome Outcome { get; }

    public string? ImpersonatedUser { get; }

    /// <summary>The request's audit ID when it is text rather than a UUID (<see cref="AuditId.Text"/>), else null.</summary>
    public string? AuditIdText { get; }

    public static EvidenceContext Of(ApiRequest request) => new(request);

    /// <summary>Whether this context says of <paramref name="request"/> what a context of its own would.</summary>
    public bool Describes(ApiRequest request) =>
        Outcome == request.Outcome
        && string.Equals(Namespace, request.Namespace, StringComparison.Ordinal)
        && string.Equals(UserAgent, request.UserAgent, StringComparison.Ordinal)
        && string.Equals(ImpersonatedUser, request.Identity.ImpersonatedUser, StringComparison.Ordinal)
        && string.Equals(AuditIdText, request.AuditId.Text, StringComparison.Ordinal)
        && (ReferenceEquals(SourceIps, request.SourceIps) || SourceIps.SequenceEqual(request.SourceIps));
}
