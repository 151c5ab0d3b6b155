using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.RuleTools;

/// <summary>
/// <c>AuditWatch rules diff OLD NEW PATH...</c>: the same recorded events through two rule sets; the incidents that
/// appear and disappear, on their final tally.
/// </summary>
internal static class RuleDiff
{
    public static async Task<int> RunAsync(IReadOnlyList<Rule> old, IReadOnlyList<Rule> @new, IReadOnlyList<AuditEvent> events, TextWriter stdout, PipelineCounters counters)
    {
        var before = await IncidentsAsync(old, events, counters);
        var after = await IncidentsAsync(@new, events, counters);
        var appear = after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).ToList();
        var disappear = before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).ToList();
        var changed = after.Keys.Intersect(before.Keys).Where(k => Describe(before[k]) != Describe(after[k])).Order(StringComparer.Ordinal).ToList();
        foreach (var key in appear)
        {
            await stdout.WriteLineAsync($"+ {Describe(after[key])}");
        }

        foreach (var key in disappear)
        {
            await stdout.WriteLineAsync($"- {Describe(before[key])}");
        }

        foreach (var key in changed)
        {
            await stdout.WriteLineAsync($"~ {Describe(before[key])}\n  → {Describe(after[key])}");
        }

        await stdout.WriteLineAsync($"{appear.Count} incident(s) appear, {disappear.Count} disappear, {changed.Count} change, {after.Count - appear.Count - changed.Count} unchanged");
        return 0;
    }

    /// <param name="counters">Where a rule that throws is counted (<see cref="PipelineCounters.RuleFailures"/>).</param>
    public static async Task<Dictionary<string, Alert>> IncidentsAsync(IReadOnlyList<Rule> rules, IReadOnlyList<AuditEvent> events, PipelineCounters counters)
    {
        var alerts = await DetectionPipeline.Detect(events.ToObservable(), rules, new DetectionOptions(), new HistoricalScheduler(), counters).ToList();
        return alerts.GroupBy(a => $"{a.Rule} {a.IncidentId}").ToDictionary(g => g.Key, g => g.Last());
    }

    private static string Describe(Alert a) =>
        $"{a.Rule} [{a.Severity.ToString().ToLowerInvariant()}] {a.User}: {a.Count} requests, {a.DistinctObjects} distinct, {a.FirstSeen.UtcDateTime:u} .. {a.LastSeen.UtcDateTime:u}";
}
