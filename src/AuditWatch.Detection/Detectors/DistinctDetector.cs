using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Windows;

namespace AuditWatch.Detection.Detectors;

/// <summary><c>kind: distinct</c>: at least K distinct values of a field within the window, exact in O(K).</summary>
internal sealed class DistinctDetector<TEntry>(SharedByGroups shared, string groupKey)
    : GroupDetector(shared, groupKey)
    where TEntry : struct, IDistinctEntry<TEntry>
{
    private RecentDistinctValues<TEntry> _recent;

    public override void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        if (_recent.Capacity == 0)
        {
            _recent = new RecentDistinctValues<TEntry>(Rule.Threshold!.For(request.Identity.Kind));
        }

        var value = Rule.CountDistinct!.First(request);
        var windowStart = request.Time - Rule.Window;
        if (value is not null)
        {
            _recent.Touch(value, request, windowStart, Shared.Contexts);
        }

        var triggered = value is not null && _recent.CountSince(windowStart) >= _recent.Capacity;
        if (!triggered && !HasTriggered)
        {
            return;
        }

        Incident.Record(output, request, triggered, triggered && Incident.WouldOpen(request) ? _recent.Since(windowStart) : null);
    }
}
