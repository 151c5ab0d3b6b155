using System.Diagnostics;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Evidence;

/// <summary>
/// What an alert needs of one request, kept by windows instead of the request itself: a window holds up to K of these
/// per identity, so they carry the request's audit ID as its 16-byte UUID (the rare ID that is not one is in the
/// context), its time as UTC ticks, its object key (shared per Secret by the normalizer) and a context shared with
/// reads that agree on it (<see cref="EvidenceContexts"/>): 40 bytes, a fraction of a whole normalized request. A
/// struct, kept inline in the window's array.
/// </summary>
internal readonly struct EvidenceItem
{
    private readonly long _utcTicks;

    // Empty when the ID is not a UUID: then it is the context's (EvidenceContext.AuditIdText), or there is none.
    private readonly Guid _auditUuid;

    private EvidenceItem(ApiRequest request, EvidenceContext context)
    {
        _utcTicks = request.Time.UtcTicks;
        request.AuditId.TryGetUuid(out _auditUuid);
        ObjectKey = IncidentEvidence.ObjectKeyOf(request);
        Context = context;
    }

    public DateTimeOffset Time => new(_utcTicks, TimeSpan.Zero);

    /// <summary><see cref="Time"/> as UTC ticks: what windows compare, without building a <see cref="DateTimeOffset"/> each time.</summary>
    public long UtcTicks => _utcTicks;

    public AuditId AuditId => Context.AuditIdText is { } text ? AuditId.Parse(text) : AuditId.FromUuid(_auditUuid);

    public string ObjectKey { get; }

    public EvidenceContext Context { get; }

    public static EvidenceItem Of(ApiRequest request) => new(request, EvidenceContext.Of(request));

    /// <summary>The evidence of <paramref name="request"/> with a context that describes it (<see cref="EvidenceContexts"/>).</summary>
    public static EvidenceItem Of(ApiRequest request, EvidenceContext context)
    {
        Debug.Assert(context.Describes(request), "a shared context describes the request it is taken for");
        return new(request, context);
    }

    /// <summary>
    /// Whether this is the evidence of that very request. The audit ID alone does not say so: a client can send the
    /// same Audit-ID header with several requests.
    /// </summary>
    public bool IsOf(ApiRequest request) =>
        AuditId == request.AuditId && _utcTicks == request.Time.UtcTicks && ObjectKey == IncidentEvidence.ObjectKeyOf(request);
}
