using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Silences;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Routing;

/// <summary>
/// Takes every alert notice: counts suppressed repeats, drops silenced ones (counted), files the rest into the groups
/// of the routes they match; <see cref="TakeDue"/> gives the notifications whose time has come. Thread-safe.
/// </summary>
public sealed class AlertDispatcher(RouteTable routes, SilenceStore silences, DeliveryCounters counters)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Route, string Key), AlertGroup> _groups = [];

    public void Add(Alert alert, DateTimeOffset now)
    {
        counters.RecordSuppressed(alert.Rule, alert.SuppressedRepeats);
        if (silences.Muting(alert) is not null)
        {
            counters.RecordSilenced(alert.Rule);
            return;
        }

        lock (_gate)
        {
            var matched = routes.Match(alert);
            if (matched.Count == 0)
            {
                counters.RecordUnrouted();
                return;
            }

            counters.RecordRouted();
            foreach (var route in matched)
            {
                var key = route.GroupKey(alert);
                if (!_groups.TryGetValue((route.Name, key), out var group))
                {
                    group = new AlertGroup(route, key, now, [.. route.Sinks.Select(counters.For)]);
                    _groups[(route.Name, key)] = group;
                }

                group.Add(alert);
            }
        }
    }

    /// <summary>Notifications due at <paramref name="now"/>, each with the sinks of its route; all of them when flushing at shutdown.</summary>
    public IReadOnlyList<(Notification Notification, IReadOnlyList<string> Sinks)> TakeDue(DateTimeOffset now, bool flush = false)
    {
        var due = new List<(Notification, IReadOnlyList<string>)>();
        lock (_gate)
        {
            foreach (var ((routeName, _), group) in _groups)
            {
                var at = group.DueAt();
                if (at is null || (!flush && at > now))
                {
                    continue;
                }

                if (flush && at > now && !group.HasChanges)
                {
                    continue;
                }

                if (group.Take(now) is { } notification)
                {
                    due.Add((notification, routes.Routes.First(r => r.Name == routeName).Sinks));
                }
            }

            foreach (var finished in _groups.Where(g => g.Value.IsFinished).Select(g => g.Key).ToList())
            {
                _groups.Remove(finished);
            }
        }

        return due;
    }
}
