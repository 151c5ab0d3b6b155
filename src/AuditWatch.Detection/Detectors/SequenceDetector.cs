using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Detectors;

/// <summary>
/// <c>kind: sequence</c> (and Sigma's temporal_ordered), for one join key: the steps must happen in order within the
/// window. For each step it keeps the chain with the latest start that reaches it (the best chance to fit the window,
/// so greedy is exact) and fires when a request of the last step completes a chain. The evidence holds the chain.
/// </summary>
internal sealed class SequenceDetector(SharedByGroups shared, string groupKey)
    : GroupDetector(shared, groupKey)
{
    private readonly ApiRequest[]?[] _chains = new ApiRequest[]?[shared.Rule.Steps.Count];

    public override void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        var step = input.Step;
        if (step == 0)
        {
            _chains[0] = [request];
        }
        else if (_chains[step - 1] is { } previous && request.Time - previous[0].Time <= Rule.Window)
        {
            _chains[step] = [.. previous, request];
        }
        else if (step < _chains.Length - 1)
        {
            return;
        }

        var last = step == _chains.Length - 1;
        var triggered = last && _chains[step] is { } chain && chain[^1] == request;
        if (last && (triggered || IncidentOpen))
        {
            Incident.Record(output, request, triggered, triggered ? _chains[step]!.Select(EvidenceItem.Of) : null);
        }
    }
}
