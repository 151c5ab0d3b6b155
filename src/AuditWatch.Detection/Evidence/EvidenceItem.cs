using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Evidence;

/// <summary>
/// What an alert needs of one request, kept by windows instead of the request itself: a window holds up to K of these
/// per identity, so they carry only references to values the decoder shares (namespace, addresses, user agent) and
/// the request's own audit ID — about a quarter of a whole normalized request. A struct, kept inline in the window's
/// array: recording a request allocates nothing.
/// </summary>
internal readonly struct EvidenceItem
{
    private EvidenceItem(ApiRequest request)
    {
        Time = request.Time;
        AuditId = request.AuditId;
        ObjectKey = IncidentEvidence.ObjectKeyOf(request);
        Namespace = request.Namespace;
        SourceIps = request.SourceIps;
        UserAgent = request.UserAgent;
        Outcome = request.Outcome;
        ImpersonatedUser = request.Identity.ImpersonatedUser;
    }

    public DateTimeOffset Time { get; }

    public string AuditId { get; }

    public string ObjectKey { get; }

    public string? Namespace { get; }

    public IReadOnlyList<string> SourceIps { get; }

    public string? UserAgent { get; }

    public RequestOutcome Outcome { get; }

    public string? ImpersonatedUser { get; }

    public static EvidenceItem Of(ApiRequest request) => new(request);

    /// <summary>Whether this is the evidence of that very request (the same audit ID instance, not an equal one).</summary>
    public bool IsOf(ApiRequest request) => ReferenceEquals(AuditId, request.AuditId);
}
