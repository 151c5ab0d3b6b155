using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Engine;

namespace AuditWatch.Detection.Detectors;

/// <summary><c>kind: match</c>: every applicable request fires; repeats within the suppression period join its incident.</summary>
internal sealed class MatchDetector(SharedByGroups shared, string groupKey)
    : GroupDetector(shared, groupKey)
{
    protected override TimeSpan QuietPeriod => Rule.Suppress;

    public override void Observe(RuleInput input, List<Alert> output)
    {
        Incident.Record(output, input.Request, triggered: true);
    }
}
