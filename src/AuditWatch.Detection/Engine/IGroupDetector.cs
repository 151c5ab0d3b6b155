using AuditWatch.Core.Alerts;

namespace AuditWatch.Detection.Engine;

/// <summary>One rule's state for one group, fed that group's requests in event-time order.</summary>
internal interface IGroupDetector
{
    /// <summary>Takes the next request of the group; notices it raises go to <paramref name="output"/>.</summary>
    void Observe(RuleInput input, List<Alert> output);

    /// <summary>The group is being forgotten (idle, evicted, or end of input): resolve what is open.</summary>
    Alert? Close();
}
