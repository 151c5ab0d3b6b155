using System.Diagnostics;
using System.Globalization;
using AuditWatch.Detection.Ordering;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;

namespace AuditWatch.Benchmarks;

/// <summary>
/// The time each rule of the default pack takes alone over the 200,000 synthetic Secret reads of
/// <see cref="DetectionBenchmarks"/> (10 identities), best of ten after a warm-up, the stream's own cost included (its line: no rule):
/// <c>AuditWatch.Benchmarks rules-cost</c>. Shows which rule to look at first.
/// </summary>
internal static class RuleCostProbe
{
    public static int Run()
    {
        var requests = SyntheticRequests.SecretReads(10).Select(r => new OrderedRequest(r, EventTiming.InOrder)).ToArray();
        var pack = RuleSetLoader.Load(BenchmarkData.Rules).Enabled;

        // Warm up: every rule's code optimized by the JIT's later tiers before anything is timed.
        for (var i = 0; i < 20; i++)
        {
            RuleHarness.Run(requests, pack);
        }

        Report("(no rule: the stream alone)", requests, []);
        foreach (var rule in pack)
        {
            Report(rule.Id, requests, [rule]);
        }

        return 0;
    }

    private static void Report(string name, OrderedRequest[] requests, IReadOnlyList<Rule> rules)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 10; i++)
        {
            var watch = Stopwatch.StartNew();
            RuleHarness.Run(requests, rules);
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{best,8:0.0} ms  {name}"));
    }
}
