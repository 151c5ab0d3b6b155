using System.Diagnostics;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Loading;

namespace AuditWatch.Benchmarks;

/// <summary>
/// The time each rule of the default pack takes alone over the 200,000 synthetic Secret reads of
/// <see cref="DetectionBenchmarks"/> (10 identities), best of five, the stream's own cost included (about 25 ms):
/// <c>AuditWatch.Benchmarks rules-cost</c>. Shows which rule to look at first.
/// </summary>
internal static class RuleCostProbe
{
    public static int Run()
    {
        var requests = SyntheticRequests.SecretReads(10).Select(r => new OrderedRequest(r, false)).ToArray();
        foreach (var rule in RuleSetLoader.Load(BenchmarkData.Rules).Enabled)
        {
            var best = double.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                var clock = new HistoricalScheduler(requests[0].Request.Time);
                var watch = Stopwatch.StartNew();
                requests.ToObservable(ImmediateScheduler.Instance).Do(r => clock.AdvanceTo(r.Request.Time)).Detect(rule, new DetectionOptions(), clock, new PipelineCounters()).Count().Wait();
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{best,8:0.0} ms  {rule.Id}"));
        }

        return 0;
    }
}
