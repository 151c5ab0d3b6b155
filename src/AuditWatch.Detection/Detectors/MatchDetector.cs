using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Detectors;

/// <summary><c>kind: match</c>: every applicable request fires; repeats within the suppression period join its incident.</summary>
internal sealed class MatchDetector(Rule rule, string groupKey, ReplayProgress replay) : IGroupDetector
{
    private readonly IncidentTracker _incident = new(rule, groupKey, rule.Suppress, replay);

    public IReadOnlyList<Alert> Observe(RuleInput input)
    {
        var alerts = new List<Alert>(1);
        _incident.Record(alerts, input.Request, triggered: true);
        return alerts;
    }

    public Alert? Close() => _incident.Close();
}
