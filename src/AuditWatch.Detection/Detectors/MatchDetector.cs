using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Detectors;

/// <summary><c>kind: match</c>: every applicable request fires; repeats within the suppression period join its incident.</summary>
internal sealed class MatchDetector(Rule rule, string groupKey, ReplayProgress replay) : IGroupDetector
{
    private readonly IncidentTracker _incident = new(rule, groupKey, rule.Suppress, replay);

    public void Observe(RuleInput input, List<Alert> output)
    {
        _incident.Record(output, input.Request, triggered: true);
    }

    public Alert? Close() => _incident.Close();
}
