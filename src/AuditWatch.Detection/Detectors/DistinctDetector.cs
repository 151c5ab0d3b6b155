using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Windows;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Detectors;

/// <summary><c>kind: distinct</c>: at least K distinct values of a field within the window, exact in O(K).</summary>
internal sealed class DistinctDetector(Rule rule, string groupKey, ReplayProgress replay) : IGroupDetector
{
    // Made when the group first triggers: most groups never do, and a tracker per group is memory for nothing.
    private IncidentTracker? _incident;
    private RecentDistinctValues? _recent;

    public void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        _recent ??= new RecentDistinctValues(rule.Threshold!.For(request.Identity.Kind));
        var value = rule.CountDistinct!.First(request);
        if (value is not null)
        {
            _recent.Touch(value, request);
        }

        var windowStart = request.Time - rule.Window;
        var triggered = value is not null && _recent.CountSince(windowStart) >= _recent.Capacity;
        if (!triggered && _incident is null)
        {
            return;
        }

        _incident ??= new IncidentTracker(rule, groupKey, rule.Window, replay);
        _incident.Record(output, request, triggered, triggered && _incident.WouldOpen(request) ? _recent.Since(windowStart) : null);
    }

    public Alert? Close() => _incident?.Close();
}
