using AuditWatch.Core.Alerts;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// One rule's state for one group, fed that group's requests in event-time order, and the group's incident.
/// </summary>
/// <remarks>
/// It is also the group's place in its rule's activity order (<see cref="RuleGroups"/> threads that list through the
/// detectors and keeps their expiry here): a rule may track 100,000 groups, and a node object per group beside its
/// detector was a header, a key and two references more for each.
/// </remarks>
internal abstract class GroupDetector(SharedByGroups shared, string groupKey)
{
    // Made when the group first triggers: most groups never do, and a tracker per group is memory for nothing.
    private IncidentTracker? _incident;

    public string GroupKey => groupKey;

    protected Rule Rule => shared.Rule;

    protected SharedByGroups Shared => shared;

    /// <summary>Whether the group has an incident open now.</summary>
    protected bool IncidentOpen => _incident?.IsOpen == true;

    /// <summary>Whether the group has ever triggered: from then on every request it gets goes to its incident.</summary>
    protected bool HasTriggered => _incident is not null;

    /// <summary>The group's incident tracker, made on first use.</summary>
    protected IncidentTracker Incident => _incident ??= new IncidentTracker(shared.Rule, groupKey, QuietPeriod, shared.Replay);

    /// <summary>How long an incident stays open without a request that adds to it.</summary>
    protected virtual TimeSpan QuietPeriod => shared.Rule.Window;

    /// <summary>When the group expires, as UTC ticks of the event clock (kept by <see cref="RuleGroups"/>).</summary>
    internal long ExpiresAtTicks { get; set; }

    internal GroupDetector? Older { get; set; }

    internal GroupDetector? Newer { get; set; }

    /// <summary>Takes the next request of the group; notices it raises go to <paramref name="output"/>.</summary>
    public abstract void Observe(RuleInput input, List<Alert> output);

    /// <summary>The group is being forgotten (idle, evicted, or end of input): resolve what is open.</summary>
    public Alert? Close() => _incident?.Close();
}
