using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Windows;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Detectors;

/// <summary><c>kind: first_seen</c>: a key tuple the rule has never seen, once its learning period is over.</summary>
internal sealed class FirstSeenDetector(Rule rule, string groupKey, FirstSeenMemory memory, ReplayProgress replay) : IGroupDetector
{
    private readonly IncidentTracker _incident = new(rule, groupKey, rule.Suppress, replay);

    public IReadOnlyList<Alert> Observe(RuleInput input)
    {
        var request = input.Request;
        var tuple = string.Join("\u001f", rule.Key.Select(field => field.First(request) ?? string.Empty));
        var triggered = memory.Observe(tuple, request.Time);
        var alerts = new List<Alert>(1);
        if (triggered || _incident.IsOpen)
        {
            _incident.Record(alerts, request, triggered);
        }

        return alerts;
    }

    public Alert? Close() => _incident.Close();
}
