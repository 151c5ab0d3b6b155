using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Evidence;

/// <summary>
/// What an alert needs of one request, kept by windows instead of the request itself: a window holds up to K of these
/// per identity, so they carry only references to values the decoder shares (namespace, addresses, user agent), the
/// request's audit ID as a value and its time as UTC ticks — about 80 bytes, a fraction of a whole normalized request.
/// A struct, kept inline in the window's array: recording a request allocates nothing.
/// </summary>
internal readonly struct EvidenceItem
{
    private readonly long _utcTicks;

    private EvidenceItem(ApiRequest request)
    {
        _utcTicks = request.Time.UtcTicks;
        AuditId = request.AuditId;
        ObjectKey = IncidentEvidence.ObjectKeyOf(request);
        Namespace = request.Namespace;
        SourceIps = request.SourceIps;
        UserAgent = request.UserAgent;
        Outcome = request.Outcome;
        ImpersonatedUser = request.Identity.ImpersonatedUser;
    }

    public DateTimeOffset Time => new(_utcTicks, TimeSpan.Zero);

    public AuditId AuditId { get; }

    public string ObjectKey { get; }

    public string? Namespace { get; }

    public IReadOnlyList<string> SourceIps { get; }

    public string? UserAgent { get; }

    public RequestOutcome Outcome { get; }

    public string? ImpersonatedUser { get; }

    public static EvidenceItem Of(ApiRequest request) => new(request);

    /// <summary>
    /// Whether this is the evidence of that very request. The audit ID alone does not say so: a client can send the
    /// same Audit-ID header with several requests.
    /// </summary>
    public bool IsOf(ApiRequest request) =>
        AuditId == request.AuditId && _utcTicks == request.Time.UtcTicks && ObjectKey == IncidentEvidence.ObjectKeyOf(request);
}
