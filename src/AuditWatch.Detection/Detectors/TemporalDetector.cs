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
    private readonly IncidentTracker _incident = new(rule, groupKey, rule.Window, replay);
    private readonly ApiRequest?[] _latest = new ApiRequest?[rule.Steps.Count];

    public void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        _latest[input.Step] = request;
        var windowStart = request.Time - rule.Window;
        var inWindow = _latest.OfType<ApiRequest>().Where(r => r.Time >= windowStart).ToList();
        var triggered = inWindow.Count >= (rule.StepsRequired > 0 ? rule.StepsRequired : rule.Steps.Count);
        _incident.Record(output, request, triggered, triggered ? inWindow.OrderBy(r => r.Time).Select(EvidenceItem.Of) : null);
    }

    public Alert? Close() => _incident.Close();
}
