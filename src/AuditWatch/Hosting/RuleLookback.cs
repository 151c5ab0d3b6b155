using AuditWatch.Rules.Model;

namespace AuditWatch.Hosting;

/// <summary>
/// How much history windowed rules need to rebuild their state: the longest window (or baseline). Single-event and
/// first_seen rules need none (first_seen keeps its own memory); an incident of theirs that spans a handover may be
/// raised once more by the new owner.
/// </summary>
public static class RuleLookback
{
    public static TimeSpan Of(IEnumerable<Rule> rules) => rules
        .Select(rule => rule.Kind switch
        {
            RuleKind.Spike => rule.Baseline + rule.Window,
            RuleKind.Match or RuleKind.FirstSeen => TimeSpan.Zero,
            _ => rule.Window,
        })
        .DefaultIfEmpty(TimeSpan.Zero)
        .Max();
}
