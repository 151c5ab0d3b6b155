using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Evidence;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Detectors;

/// <summary>
/// Sigma's <c>temporal</c> correlation, for one group: fires when requests of at least the required number of
/// different steps fall within the window, in any order. Keeps the latest request of each step.
/// </summary>
internal sealed class TemporalDetector(Rule rule, string groupKey, ReplayProgress replay) : IGroupDetector
{
    // Made when the group first triggers: most groups never do, and a tracker per group is memory for nothing.
    private IncidentTracker? _incident;
    private readonly ApiRequest?[] _latest = new ApiRequest?[rule.Steps.Count];

    public void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        _latest[input.Step] = request;
        var windowStart = request.Time - rule.Window;
        var inWindow = 0;
        foreach (var latest in _latest)
        {
            if (latest is not null && latest.Time >= windowStart)
            {
                inWindow++;
            }
        }

        var triggered = inWindow >= (rule.StepsRequired > 0 ? rule.StepsRequired : rule.Steps.Count);
        if (!triggered && _incident is null)
        {
            return;
        }

        _incident ??= new IncidentTracker(rule, groupKey, rule.Window, replay);
        var seed = triggered && _incident.WouldOpen(request)
            ? _latest.OfType<ApiRequest>().Where(r => r.Time >= windowStart).OrderBy(r => r.Time).Select(EvidenceItem.Of)
            : null;
        _incident.Record(output, request, triggered, seed);
    }

    public Alert? Close() => _incident?.Close();
}
