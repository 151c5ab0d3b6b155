using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Loading;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Memory held per tracked identity by the Secret-read burst rule (distinct, K = 10 for people): feeds every identity a
/// few reads, keeps the rule running (state alive), and compares the live heap with the heap before: what remains is
/// the rule's state, including the requests its windows keep as evidence: <c>AuditWatch.Benchmarks memory 100000 10</c>.
/// Another rule of the pack by its id as a third argument (<c>memory 100000 1 secret-read-new-source</c>: first_seen's
/// group and learned tuple per identity).
/// </summary>
internal static class IdentityMemoryProbe
{
    public const string DefaultRule = "secret-read-burst";

    /// <summary>One measurement per process, so that nothing of an earlier one is still on the heap.</summary>
    public static int Run(int identities, int reads, string ruleId)
    {
        var rule = RuleSetLoader.Load(BenchmarkData.Rules).Enabled.Single(r => r.Id == ruleId);
        var clock = new HistoricalScheduler(SyntheticRequests.Start);
        var input = new Subject<OrderedRequest>();
        var counters = new PipelineCounters();
        var alerts = 0;
        var before = Settle();
        using var subscription = new RoutedRequests(input).Detect(rule, new DetectionOptions(), clock, counters).Subscribe(_ => alerts++);
        // Generated as they are fed: what stays on the heap afterwards is what the rule holds, requests included.
        foreach (var request in SyntheticRequests.DistinctReads(identities, reads))
        {
            clock.AdvanceTo(request.Time);
            input.OnNext(new OrderedRequest(request, EventTiming.InOrder));
        }

        var after = Settle();
        var tracked = counters.TrackedGroups[ruleId];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ruleId}: identities {identities}, {reads} distinct reads each: {tracked} tracked, {(after - before) / (double)tracked:0} bytes retained per tracked identity ({alerts} alerts)"));
        GC.KeepAlive(subscription);
        return 0;
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
