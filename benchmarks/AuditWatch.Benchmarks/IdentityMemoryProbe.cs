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
/// group and learned tuple per identity), and the event time between requests in milliseconds as a fourth (1 unless
/// given): at 1 ms one identity's reads are 100 s apart, so its window (5 minutes) holds 4 of them; at 0.25 ms all 9
/// of <c>memory 100000 9 secret-read-burst 0.25</c> are in it, the most one identity holds without an alert.
/// </summary>
internal static class IdentityMemoryProbe
{
    public const string DefaultRule = "secret-read-burst";

    /// <summary>One measurement per process, so that nothing of an earlier one is still on the heap.</summary>
    public static int Run(int identities, int reads, string ruleId, TimeSpan every)
    {
        var rule = RuleSetLoader.Load(BenchmarkData.Rules).Enabled.Single(r => r.Id == ruleId);
        var clock = new HistoricalScheduler(SyntheticRequests.Start);
        var input = new Subject<OrderedRequest>();
        var counters = new PipelineCounters();
        var alerts = 0;
        var before = Settle();
        using var subscription = new RoutedRequests(input).Detect(rule, new DetectionOptions(), clock, counters).Subscribe(_ => alerts++);
        // Generated as they are fed: what stays on the heap afterwards is what the rule holds, requests included.
        foreach (var request in SyntheticRequests.DistinctReads(identities, reads, every))
        {
            clock.AdvanceTo(request.Time);
            input.OnNext(new OrderedRequest(request, EventTiming.InOrder));
        }

        var after = Settle();
        var tracked = counters.TrackedGroups[ruleId];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ruleId}: identities {identities}, {reads} distinct reads each, {every.TotalMilliseconds} ms apart: {tracked} tracked, {(after - before) / (double)tracked:0} bytes retained per tracked identity ({alerts} alerts)"));
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
