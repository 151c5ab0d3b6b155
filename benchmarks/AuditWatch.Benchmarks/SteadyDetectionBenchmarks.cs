using AuditWatch.Detection.Ordering;
using AuditWatch.Rules.Loading;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Detection with its identities already tracked, as a service that has run a while sees it: the Secret reads of
/// <see cref="DetectionBenchmarks"/>, 1 ms of event time apart, fed round after round to one running pack, each round
/// later in event time than the one before. <see cref="DetectionBenchmarks"/> starts every run with no groups, so at
/// 100,000 identities nearly every request there opens one (and at its 10 ms apart, each identity's group expires
/// before its next read); here each identity is seen about every 100 s, within its group's lifetime, and two rounds
/// before the first measured one leave every identity tracked. Requests per run: <see cref="SyntheticRequests.Count"/>.
/// </summary>
[MemoryDiagnoser]
public class SteadyDetectionBenchmarks
{
    private const int WarmUpRounds = 2;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(1);

    private OrderedRequest[] _first = [];
    private OrderedRequest[] _round = [];
    private RunningRules? _running;
    private int _rounds;

    [Params(10, 1_000, 100_000)]
    public int Identities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _first = [.. SyntheticRequests.SecretReads(Identities, every: Every).Select(r => new OrderedRequest(r, EventTiming.InOrder))];
        _running = new RunningRules(RuleSetLoader.Load(BenchmarkData.Rules).Enabled, _first[0].Request.Time);
        for (var round = 0; round < WarmUpRounds; round++)
        {
            NextRound();
            _running.Feed(_round);
        }
    }

    /// <summary>The same reads as the first round, moved on in event time past every round before.</summary>
    [IterationSetup]
    public void NextRound()
    {
        var offset = ++_rounds * SyntheticRequests.Count * Every;
        _round = [.. _first.Select(item => item with { Request = item.Request with { Time = item.Request.Time + offset } })];
    }

    [Benchmark]
    public int DefaultPack() => _running!.Feed(_round);

    [GlobalCleanup]
    public void Cleanup() => _running?.Dispose();
}
