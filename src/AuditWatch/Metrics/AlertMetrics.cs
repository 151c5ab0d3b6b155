using AuditWatch.Core.Alerts;
using Prometheus;

namespace AuditWatch.Metrics;

/// <summary>Alert notices by rule, severity and status: label values come from the rule pack, never from events.</summary>
public sealed class AlertMetrics
{
    private static readonly Counter Alerts = Prometheus.Metrics.CreateCounter(
        "auditwatch_alerts_total",
        "Alert notices raised, by rule, severity and status (firing, update, resolved).",
        "rule", "severity", "status");

    public void Record(Alert alert) =>
        Alerts.WithLabels(alert.Rule, alert.Severity.ToString().ToLowerInvariant(), alert.Status.ToString().ToLowerInvariant()).Inc();
}
