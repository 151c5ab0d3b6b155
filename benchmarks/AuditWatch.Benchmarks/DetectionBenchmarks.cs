using AuditWatch.Core.Requests;
using AuditWatch.Detection.Ordering;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Detection alone: normalized requests in event-time order in, alerts out, through every rule of the default pack (or
/// only the Secret-read burst rule), for 10 to 100,000 identities. The baseline is a bare dictionary update per request
/// over the same identity keys. Requests per run: <see cref="SyntheticRequests.Count"/>.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private OrderedRequest[] _requests = [];
    private IReadOnlyList<Rule> _pack = [];
    private Rule _burst = null!;

    [Params(10, 1_000, 100_000)]
    public int Identities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _requests = [.. SyntheticRequests.SecretReads(Identities).Select(r => new OrderedRequest(r, EventTiming.InOrder))];
        var set = RuleSetLoader.Load(BenchmarkData.Rules);
        if (!set.IsValid)
        {
            throw new InvalidOperationException(string.Join("\n", set.Errors));
        }

        _pack = set.Enabled;
        _burst = _pack.Single(r => r.Id == "secret-read-burst");
    }

    [Benchmark(Baseline = true)]
    public int DictionaryUpdate() => RuleHarness.CountByUser(_requests);

    [Benchmark]
    public int BurstRuleOnly() => RuleHarness.Run(_requests, [_burst]);

    [Benchmark]
    public int DefaultPack() => RuleHarness.Run(_requests, _pack);

    /// <summary>The stream the rules sit on, without rules, for <c>loop</c> runs (not a benchmark of its own).</summary>
    public int StreamOnly() => RuleHarness.Run(_requests, []);
}
