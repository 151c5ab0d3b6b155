using AuditWatch.Detection.Evidence;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Windows;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// What every group of one rule run shares: the rule, the replay's progress, the evidence contexts its windows keep and
/// first_seen's memory. A group holds one reference to it instead of one to each: a rule may track 100,000 groups.
/// </summary>
internal sealed class SharedByGroups(Rule rule, ReplayProgress replay, FirstSeenMemory? firstSeen)
{
    public Rule Rule => rule;

    public ReplayProgress Replay => replay;

    public EvidenceContexts Contexts { get; } = new();

    /// <summary>The memory of a first_seen rule.</summary>
    public FirstSeenMemory FirstSeen => firstSeen ?? throw new InvalidOperationException($"rule '{rule.Id}' is not a first_seen rule");
}
