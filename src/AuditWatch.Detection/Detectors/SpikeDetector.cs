using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Detectors;

/// <summary>
/// <c>kind: spike</c>: the count in the current window-long interval against the group's own average per interval
/// over the baseline before it. A group is judged only once it has a baseline's worth of history.
/// </summary>
internal sealed class SpikeDetector(SharedByGroups shared, string groupKey)
    : GroupDetector(shared, groupKey)
{
    private readonly int _history = Math.Max(1, (int)(shared.Rule.Baseline.Ticks / shared.Rule.Window.Ticks));
    private const int MaxEvidence = 100;
    private readonly Dictionary<long, int> _counts = [];
    private readonly List<ApiRequest> _currentInterval = [];
    private long _interval = long.MinValue;
    private DateTimeOffset? _since;

    public override void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        _since ??= request.Time;
        var interval = request.Time.UtcTicks / Rule.Window.Ticks;
        _counts[interval] = _counts.GetValueOrDefault(interval) + 1;
        if (interval != _interval)
        {
            _interval = interval;
            _currentInterval.Clear();
        }

        if (_currentInterval.Count < MaxEvidence)
        {
            _currentInterval.Add(request);
        }
        foreach (var old in _counts.Keys.Where(k => k < interval - _history).ToList())
        {
            _counts.Remove(old);
        }

        var current = _counts[interval];
        var total = 0;
        for (var k = interval - _history; k < interval; k++)
        {
            total += _counts.GetValueOrDefault(k);
        }

        var average = (double)total / _history;
        var hasBaseline = request.Time - _since.Value >= Rule.Baseline;
        var triggered = hasBaseline && current >= Rule.MinCount && current >= Rule.Factor * average;
        if (!triggered && !HasTriggered)
        {
            return;
        }

        Incident.Record(output, request, triggered, triggered && Incident.WouldOpen(request) ? _currentInterval.Select(EvidenceItem.Of) : null);
    }
}
