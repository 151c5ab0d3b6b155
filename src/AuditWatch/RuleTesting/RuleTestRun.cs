using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Cli;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Testing;

namespace AuditWatch.RuleTesting;

/// <summary>Runs each rule's test cases through the same pipeline as replay, the rule alone, and reports like a test runner.</summary>
internal sealed class RuleTestRun(TextWriter stdout)
{
    public async Task<int> ExecuteAsync(RuleSet rules, CancellationToken cancellationToken)
    {
        int passed = 0, failed = 0;
        foreach (var rule in rules.Rules)
        {
            foreach (var testCase in rule.Tests)
            {
                var problems = testCase.FixturePath is { } fixture && !File.Exists(fixture)
                    ? [$"fixture {fixture} does not exist"]
                    : await JudgeAsync(rule, testCase, cancellationToken);
                if (problems.Count == 0)
                {
                    passed++;
                    await stdout.WriteLineAsync($"PASS {rule.Id}: {testCase.Name}");
                }
                else
                {
                    failed++;
                    await stdout.WriteLineAsync($"FAIL {rule.Id}: {testCase.Name} ({testCase.SourceFile}:{testCase.Line})");
                    foreach (var problem in problems)
                    {
                        await stdout.WriteLineAsync($"     {problem}");
                    }
                }
            }

            if (rule.Tests.Count == 0)
            {
                await stdout.WriteLineAsync($"NOTE {rule.Id}: no test cases");
            }
        }

        await stdout.WriteLineAsync($"rules: {passed} passed, {failed} failed");
        return failed == 0 ? ExitCodes.Success : ExitCodes.UnreadableInput;
    }

    private static async Task<List<string>> JudgeAsync(Rule rule, RuleTestCase testCase, CancellationToken cancellationToken)
    {
        var counters = new PipelineCounters();
        var problems = Compare(testCase.Expect, await RunAsync(rule, testCase, counters, cancellationToken));
        if (RuleFailureReport.Describe(counters) is { } failure)
        {
            problems.Insert(0, $"the rule threw {counters.RuleFailureTotal} time(s), {failure}");
        }

        return problems;
    }

    /// <summary>The final notice of each incident the rule raised on the case's events.</summary>
    public static async Task<IReadOnlyList<Alert>> RunAsync(Rule rule, RuleTestCase testCase, PipelineCounters counters, CancellationToken cancellationToken)
    {
        var events = testCase.Events.ToList();
        if (testCase.FixturePath is { } fixture)
        {
            await using var stream = File.OpenRead(fixture);
            await foreach (var result in new AuditStreamDecoder().DecodeAsync(stream, fixture, cancellationToken))
            {
                if (result.Event is { } decoded)
                {
                    events.Add(decoded);
                }
            }
        }

        var alerts = await DetectionPipeline
            .Detect(events.ToObservable(), [rule with { Enabled = true }], new DetectionOptions(), new HistoricalScheduler(), counters)
            .ToList();
        return [.. alerts.GroupBy(a => a.IncidentId).Select(incident => incident.Last())];
    }

    private static List<string> Compare(IReadOnlyList<ExpectedIncident> expected, IReadOnlyList<Alert> incidents)
    {
        var problems = new List<string>();
        var unmatched = incidents.ToList();
        foreach (var expectation in expected)
        {
            var match = unmatched.FirstOrDefault(expectation.Matches);
            if (match is null)
            {
                problems.Add($"expected an incident with {expectation} (line {expectation.Line}), got: {Describe(unmatched)}");
            }
            else
            {
                unmatched.Remove(match);
            }
        }

        problems.AddRange(unmatched.Select(extra => $"unexpected incident: {Describe([extra])}"));
        return problems;
    }

    private static string Describe(IReadOnlyList<Alert> incidents) => incidents.Count == 0
        ? "none"
        : string.Join("; ", incidents.Select(a => $"user {a.User}, count {a.Count}, distinct {a.DistinctObjects}, severity {a.Severity.ToString().ToLowerInvariant()}"));
}
