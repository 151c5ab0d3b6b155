using AuditWatch.Core.Alerts;

namespace AuditWatch.Rules.Model;

/// <summary>Raises an incident's severity once it reaches a size: any one of the limits given is enough.</summary>
public sealed record Escalation(Severity Severity, int? CountAtLeast, int? DistinctAtLeast, int? NamespacesAtLeast)
{
    public bool Reached(int count, int distinct, int namespaces) =>
        count >= (CountAtLeast ?? int.MaxValue)
        || distinct >= (DistinctAtLeast ?? int.MaxValue)
        || namespaces >= (NamespacesAtLeast ?? int.MaxValue);
}
