using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Detectors;

/// <summary>
/// <c>kind: sequence</c>, for one join key: remembers the latest request of the first step and fires when a request of
/// the second step follows it within the window. The evidence holds both.
/// </summary>
internal sealed class SequenceDetector(Rule rule, string groupKey, ReplayProgress replay) : IGroupDetector
{
    private readonly IncidentTracker _incident = new(rule, groupKey, rule.Window, replay);
    private ApiRequest? _first;

    public IReadOnlyList<Alert> Observe(RuleInput input)
    {
        var request = input.Request;
        if (input.Step == 0)
        {
            _first = request;
            return [];
        }

        var triggered = _first is not null && request.Time - _first.Time <= rule.Window;
        var alerts = new List<Alert>(1);
        if (triggered || _incident.IsOpen)
        {
            _incident.Record(alerts, request, triggered, triggered ? [_first!] : null);
        }

        return alerts;
    }

    public Alert? Close() => _incident.Close();
}
