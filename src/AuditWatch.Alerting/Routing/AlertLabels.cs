using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Routing;

/// <summary>The label names routes group by and silences match on: a few alert fields, then the rule's own labels.</summary>
public static class AlertLabels
{
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal) { "rule", "severity", "user", "incident", "impersonated_user" };

    public static string? Value(Alert alert, string label) => label switch
    {
        "rule" => alert.Rule,
        "severity" => alert.Severity.ToString().ToLowerInvariant(),
        "user" => alert.User,
        "incident" => alert.IncidentId,
        "impersonated_user" => alert.ImpersonatedUser,
        _ => alert.Labels.TryGetValue(label, out var value) ? value : null,
    };
}
