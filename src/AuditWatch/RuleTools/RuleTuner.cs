using System.Globalization;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Yaml;

namespace AuditWatch.RuleTools;

/// <summary>
/// Replays recorded events through each rule and measures what the rule sees: the incidents it would raise, who is
/// behind them, the distribution of its measured value per group per window, the lowest threshold that keeps within an
/// alert budget, and exclusions built from composite evidence for the identities that account for most incidents.
/// </summary>
internal static class RuleTuner
{
    public static async Task<IReadOnlyList<TuneReport>> TuneAsync(IReadOnlyList<Rule> rules, IReadOnlyList<AuditEvent> events, double budgetPerDay, PipelineCounters counters, TuneProgress? progress = null)
    {
        var requests = Requests(events);
        var reports = new List<TuneReport>();
        foreach (var (rule, index) in rules.Select((r, i) => (r, i)))
        {
            progress?.Tuning(rule.Id, index, rules.Count);
            var incidents = (await RuleDiff.IncidentsAsync([rule], events, counters)).Values.ToList();
            var applicable = requests.Where(rule.Applies).ToList();
            var measured = Measure(rule, applicable);
            reports.Add(new TuneReport(
                rule.Id,
                rule.Title,
                rule.Format,
                rule.Kind == RuleKind.FirstSeen ? "first_seen" : rule.Kind.ToString().ToLowerInvariant(),
                incidents.Count,
                incidents.GroupBy(i => i.Severity.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
                [.. incidents.GroupBy(i => i.User).Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).Take(5)],
                measured is null ? null : Distribution(rule, measured),
                measured is null ? null : Suggest(measured, Covered(requests, rule.Window), budgetPerDay),
                ExclusionSuggestions.For(rule, incidents, applicable)));
        }

        progress?.Done();
        return reports;
    }

    /// <summary>One normalized record per request, in event-time order.</summary>
    private static List<ApiRequest> Requests(IReadOnlyList<AuditEvent> events)
    {
        var counter = new RequestCounter();
        return [.. events.Where(e => counter.Observe(e) == StageVerdict.Counted).Select(e => RequestNormalizer.Normalize(e)).OrderBy(r => r.Time)];
    }

    /// <summary>Per group, per window-long interval: distinct values (distinct rules) or requests (threshold rules).</summary>
    private static List<int>? Measure(Rule rule, List<ApiRequest> requests)
    {
        if (rule.Kind is not (RuleKind.Distinct or RuleKind.Threshold) || rule.Window <= TimeSpan.Zero)
        {
            return null;
        }

        return [.. requests
            .GroupBy(r => (Group: rule.GroupKey(r), Interval: r.Time.UtcTicks / rule.Window.Ticks))
            .Select(g => rule.Kind == RuleKind.Distinct
                ? g.Select(r => rule.CountDistinct!.First(r)).Where(v => v is not null).Distinct(StringComparer.Ordinal).Count()
                : g.Count())];
    }

    private static MeasuredDistribution Distribution(Rule rule, List<int> values)
    {
        var sorted = values.Order().ToList();
        double Percentile(double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
        var measure = rule.Kind == RuleKind.Distinct ? $"distinct {rule.CountDistinct!.Name}" : "requests";
        return new MeasuredDistribution(measure, Durations.Format(rule.Window), sorted.Count, Percentile(0.5), Percentile(0.9), Percentile(0.99), sorted.Count == 0 ? 0 : sorted[^1]);
    }

    /// <summary>
    /// How much time the log actually covers: the window-long intervals that hold any request (recorded logs are often
    /// minutes from different days, and the gaps between them must not count as quiet time).
    /// </summary>
    private static TimeSpan Covered(List<ApiRequest> requests, TimeSpan window) =>
        window * requests.Select(r => r.Time.UtcTicks / window.Ticks).Distinct().Count();

    /// <summary>The smallest threshold whose windows at or above it, scaled to a day, stay within the budget.</summary>
    private static int? Suggest(List<int> values, TimeSpan span, double budgetPerDay)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var perDay = TimeSpan.FromDays(1) / (span > TimeSpan.FromMinutes(1) ? span : TimeSpan.FromMinutes(1));
        for (var threshold = 1; threshold <= values.Max() + 1; threshold++)
        {
            if (values.Count(v => v >= threshold) * perDay <= budgetPerDay)
            {
                return threshold;
            }
        }

        return values.Max() + 1;
    }
}
