using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Delivery;

/// <summary>What one sink is sent at once: the latest notice of each incident of one alert group.</summary>
public sealed record Notification(string Route, string GroupKey, IReadOnlyList<Alert> Alerts, bool IsTest = false)
{
    /// <summary>How many of <see cref="Alerts"/> this group has not sent before (the rest are repeats of sent notices).</summary>
    public int NewAlerts { get; init; }

    public Severity Severity => Alerts.Max(a => a.Severity);

    public bool AllResolved => Alerts.All(a => a.Status == AlertStatus.Resolved);

    public Alert First => Alerts[0];
}
