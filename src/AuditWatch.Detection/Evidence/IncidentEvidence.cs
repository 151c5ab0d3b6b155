using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Evidence;

/// <summary>What an incident has seen so far, bounded: counts are exact, lists are capped.</summary>
/// <remarks><paramref name="user"/> is who the alert is about: the identity whose request made the rule fire.</remarks>
internal sealed class IncidentEvidence(ApiRequest first, string user)
{
    private readonly BoundedSet _objects = new(Alert.MaxObjects);
    private readonly BoundedSet _namespaces = new(50);
    private readonly BoundedSet _sourceIps = new(20);
    private readonly BoundedSet _userAgents = new(10);
    private readonly List<AuditId> _auditIds = [];
    private int _allowed, _denied, _notFound, _other;

    public string User { get; } = user;

    public DateTimeOffset FirstSeen { get; private set; } = first.Time;
    public DateTimeOffset LastSeen { get; private set; } = first.Time;
    public int Count { get; private set; }
    public string? ImpersonatedUser { get; private set; }
    public int DistinctObjects => _objects.Count;
    public int DistinctNamespaces => _namespaces.Count;

    public void Add(ApiRequest request) =>
        Add(request.Time, request.AuditId, ObjectKeyOf(request), request.Namespace, request.SourceIps, request.UserAgent, request.Outcome, request.Identity.ImpersonatedUser);

    public void Add(EvidenceItem item) =>
        Add(item.Time, item.AuditId, item.ObjectKey, item.Context.Namespace, item.Context.SourceIps, item.Context.UserAgent, item.Context.Outcome, item.Context.ImpersonatedUser);

    private void Add(DateTimeOffset time, AuditId auditId, string objectKey, string? ns, IReadOnlyList<string> sourceIps, string? userAgent, RequestOutcome outcome, string? impersonated)
    {
        Count++;
        if (time < FirstSeen) FirstSeen = time;
        if (time > LastSeen) LastSeen = time;
        ImpersonatedUser ??= impersonated;
        _objects.Add(objectKey);
        _namespaces.Add(ns);
        for (var i = 0; i < sourceIps.Count; i++)
        {
            _sourceIps.Add(sourceIps[i]);
        }

        _userAgents.Add(userAgent);
        if (_auditIds.Count < Alert.MaxAuditIds)
        {
            _auditIds.Add(auditId);
        }

        switch (outcome)
        {
            case RequestOutcome.Allowed: _allowed++; break;
            case RequestOutcome.Denied: _denied++; break;
            case RequestOutcome.NotFound: _notFound++; break;
            default: _other++; break;
        }
    }

    public OutcomeCounts Outcomes => new(_allowed, _denied, _notFound, _other);

    public Alert ToAlert(Rule rule, string groupKey, Severity severity, AlertStatus status, int suppressedRepeats, string summary) => new()
    {
        Rule = rule.Id,
        Title = rule.Title,
        Severity = severity,
        User = User,
        ImpersonatedUser = ImpersonatedUser,
        FirstSeen = FirstSeen,
        LastSeen = LastSeen,
        Count = Count,
        DistinctObjects = _objects.Count,
        Objects = [.. _objects.Kept],
        Namespaces = [.. _namespaces.Kept],
        SourceIps = [.. _sourceIps.Kept],
        UserAgents = [.. _userAgents.Kept],
        AuditIds = [.. _auditIds.Select(id => id.ToString())],
        Summary = summary,
        Status = status,
        IncidentId = IncidentIds.For(rule.Id, groupKey, FirstSeen),
        Outcomes = Outcomes,
        SuppressedRepeats = suppressedRepeats,
        Labels = rule.Labels,
        RunbookUrl = rule.RunbookUrl,
    };

    /// <summary>The Secret's "ns/name" (or "ns/*", "*"); for other requests "ns/resource/name".</summary>
    public static string ObjectKeyOf(ApiRequest request) =>
        request.SecretRead?.ObjectKey ?? $"{request.Namespace}/{request.Resource}/{request.Name}".Trim('/');
}
