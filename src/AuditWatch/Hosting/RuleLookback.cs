using AuditWatch.Rules.Model;

namespace AuditWatch.Hosting;

/// <summary>How much history the rules need to rebuild their state: the longest window, baseline or suppression.</summary>
public static class RuleLookback
{
    public static TimeSpan Of(IEnumerable<Rule> rules) => rules
        .Select(rule => rule.Kind switch
        {
            RuleKind.Spike => rule.Baseline + rule.Window,
            RuleKind.Match or RuleKind.FirstSeen => rule.Suppress,
            _ => rule.Window,
        })
        .DefaultIfEmpty(TimeSpan.Zero)
        .Max();
}
