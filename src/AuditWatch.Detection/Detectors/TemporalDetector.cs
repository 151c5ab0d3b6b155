using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Detectors;

/// <summary>
/// Sigma's <c>temporal</c> correlation, for one group: fires when requests of at least the required number of
/// different steps fall within the window, in any order. Keeps the latest request of each step.
/// </summary>
internal sealed class TemporalDetector(SharedByGroups shared, string groupKey)
    : GroupDetector(shared, groupKey)
{
    private readonly ApiRequest?[] _latest = new ApiRequest?[shared.Rule.Steps.Count];

    public override void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        _latest[input.Step] = request;
        var windowStart = request.Time - Rule.Window;
        var inWindow = 0;
        foreach (var latest in _latest)
        {
            if (latest is not null && latest.Time >= windowStart)
            {
                inWindow++;
            }
        }

        var triggered = inWindow >= (Rule.StepsRequired > 0 ? Rule.StepsRequired : Rule.Steps.Count);
        if (!triggered && !HasTriggered)
        {
            return;
        }

        var seed = triggered && Incident.WouldOpen(request)
            ? _latest.OfType<ApiRequest>().Where(r => r.Time >= windowStart).OrderBy(r => r.Time).Select(EvidenceItem.Of)
            : null;
        Incident.Record(output, request, triggered, seed);
    }
}
