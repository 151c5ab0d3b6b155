using AuditWatch.Core.Alerts;

namespace AuditWatch.Detection.Engine;

/// <summary>One rule's state for one group, fed that group's requests in event-time order.</summary>
internal interface IGroupDetector
{
    IReadOnlyList<Alert> Observe(RuleInput input);

    /// <summary>The group is being forgotten (idle, evicted, or end of input): resolve what is open.</summary>
    Alert? Close();
}
