using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Detectors;

/// <summary>
/// <c>kind: threshold</c>: at least N requests within the window. Keeps only the N most recent requests: N of them
/// fit in the window exactly when the oldest of those N does, so the test is exact in O(N).
/// </summary>
internal sealed class ThresholdDetector(SharedByGroups shared, string groupKey)
    : GroupDetector(shared, groupKey)
{
    private readonly Queue<EvidenceItem> _recent = new();
    private EvidenceContext? _newestContext;
    private int _threshold;

    public override void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        if (_threshold == 0)
        {
            _threshold = Rule.Threshold!.For(request.Identity.Kind);
        }

        var evidence = EvidenceItem.Of(request, Shared.Contexts.For(request, _newestContext));
        _newestContext = evidence.Context;
        _recent.Enqueue(evidence);
        if (_recent.Count > _threshold)
        {
            _recent.Dequeue();
        }

        var windowStart = request.Time - Rule.Window;
        var triggered = _recent.Count == _threshold && _recent.Peek().Time >= windowStart;
        if (!triggered && !HasTriggered)
        {
            return;
        }

        Incident.Record(output, request, triggered, triggered && Incident.WouldOpen(request) ? _recent.Where(r => r.Time >= windowStart) : null);
    }
}
