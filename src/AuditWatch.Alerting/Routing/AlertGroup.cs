using AuditWatch.Alerting.Delivery;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Routing;

/// <summary>
/// The incidents one route groups together, with Alertmanager's timing: the first notification after group_wait,
/// changes at most every group_interval, an unchanged active group again after repeat_interval.
/// </summary>
/// <remarks>
/// Every notice filed here is accounted for in the sinks' counters: it is sent for the first time in a notification
/// (counted as that notification's <see cref="Notification.NewAlerts"/>), replaced by a newer notice of its incident
/// before that (superseded), or a resolved notice the route does not send.
/// </remarks>
internal sealed class AlertGroup(Route route, string key, DateTimeOffset created, IReadOnlyList<DeliveryCounters.SinkState> sinks)
{
    private readonly Dictionary<string, Alert> _latest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unsent = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastSent;
    private bool _changed;

    public bool IsFinished => _lastSent is not null && !_changed && _latest.Count == 0;

    public bool HasChanges => _changed;

    public void Add(Alert alert)
    {
        _latest[alert.IncidentId] = alert;
        var replacesUnsent = !_unsent.Add(alert.IncidentId);
        foreach (var sink in sinks)
        {
            sink.AlertRouted();
            if (replacesUnsent)
            {
                sink.AlertsSupersededBy(1);
            }
        }

        _changed = true;
    }

    public DateTimeOffset? DueAt()
    {
        if (_lastSent is not { } last)
        {
            return created + route.Options.GroupWait;
        }

        if (_changed)
        {
            return last + route.Options.GroupInterval;
        }

        return _latest.Count > 0 ? last + route.Options.RepeatInterval : null;
    }

    /// <summary>The notification to send now, or null when only resolved incidents changed and the route does not send those.</summary>
    public Notification? Take(DateTimeOffset now)
    {
        _lastSent = now;
        _changed = false;
        var alerts = _latest.Values.OrderBy(a => a.FirstSeen).ThenBy(a => a.IncidentId, StringComparer.Ordinal).ToList();
        foreach (var resolved in alerts.Where(a => a.Status == AlertStatus.Resolved))
        {
            _latest.Remove(resolved.IncidentId);
        }

        var sent = route.Options.SendResolved ? alerts : [.. alerts.Where(a => a.Status != AlertStatus.Resolved)];
        var newAlerts = sent.Count(a => _unsent.Contains(a.IncidentId));
        var notSent = _unsent.Count - newAlerts;
        _unsent.Clear();
        foreach (var sink in sinks)
        {
            sink.AlertsNotSent(notSent);
        }

        return sent.Count == 0 ? null : new Notification(route.Name, key, sent) { NewAlerts = newAlerts };
    }
}
