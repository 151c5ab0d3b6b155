using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Replay;

namespace AuditWatch.Tests.Replay;

/// <summary>An admin replaying a recording learns that a rule failed, on which request and why, and that the rest is whole.</summary>
public sealed class RuleFailureSummaryTests
{
    [Fact]
    public async Task The_summary_counts_rule_errors_and_names_the_last_with_its_request()
    {
        var events = Enumerable.Range(1, 3).Select(i => OverflowingRule.Read(i, OverflowingRule.NearTheEnd.AddSeconds(i)));
        var counters = new PipelineCounters();
        await DetectionPipeline.Detect(events.ToObservable(), OverflowingRule.Rules, new DetectionOptions(), new HistoricalScheduler(), counters).LastOrDefaultAsync();
        using var stderr = new StringWriter();

        ReplaySummary.Write(stderr, counters, new SkippedItems(stderr, 0), TimeSpan.FromSeconds(1));

        Assert.Contains(
            "rule errors     3 (by rule: two-hour-window 3; each time the rule started over with no state and missed that request; the last: rule two-hour-window on audit ID 00000000-0000-4000-8000-000000000003: ArgumentOutOfRangeException: ",
            stderr.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_without_rule_errors_says_so()
    {
        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", CliRunner.Sample("secret-burst.jsonl")]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rule errors     0\n", result.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
