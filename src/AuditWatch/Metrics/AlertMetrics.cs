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

    private long _notices;

    /// <summary>Notices recorded so far, all rules together.</summary>
    public long Notices => Interlocked.Read(ref _notices);

    public void Record(Alert alert)
    {
        Interlocked.Increment(ref _notices);
        Alerts.WithLabels(alert.Rule, alert.Severity.ToString().ToLowerInvariant(), alert.Status.ToString().ToLowerInvariant()).Inc();
    }
}
