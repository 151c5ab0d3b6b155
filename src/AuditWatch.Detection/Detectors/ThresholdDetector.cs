using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Evidence;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Detectors;

/// <summary>
/// <c>kind: threshold</c>: at least N requests within the window. Keeps only the N most recent requests: N of them
/// fit in the window exactly when the oldest of those N does, so the test is exact in O(N).
/// </summary>
internal sealed class ThresholdDetector(Rule rule, string groupKey, ReplayProgress replay) : IGroupDetector
{
    // Made when the group first triggers: most groups never do, and a tracker per group is memory for nothing.
    private IncidentTracker? _incident;
    private readonly Queue<EvidenceItem> _recent = new();
    private int _threshold;

    public void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        if (_threshold == 0)
        {
            _threshold = rule.Threshold!.For(request.Identity.Kind);
        }

        _recent.Enqueue(EvidenceItem.Of(request));
        if (_recent.Count > _threshold)
        {
            _recent.Dequeue();
        }

        var windowStart = request.Time - rule.Window;
        var triggered = _recent.Count == _threshold && _recent.Peek().Time >= windowStart;
        if (!triggered && _incident is null)
        {
            return;
        }

        _incident ??= new IncidentTracker(rule, groupKey, rule.Window, replay);
        _incident.Record(output, request, triggered, triggered && _incident.WouldOpen(request) ? _recent.Where(r => r.Time >= windowStart) : null);
    }

    public Alert? Close() => _incident?.Close();
}
