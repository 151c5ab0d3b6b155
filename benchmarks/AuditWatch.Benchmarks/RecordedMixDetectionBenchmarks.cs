using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Detection alone over what a real API server records: the PerfSPEC capture's requests (a Helm-driven cluster: most
/// requests are not Secret reads), twelve copies each an hour later with their own audit IDs, in event-time order,
/// through the default pack. The baseline is the dictionary update per request over the same usernames.
/// </summary>
[MemoryDiagnoser]
public class RecordedMixDetectionBenchmarks
{
    private const int Copies = 12;

    private OrderedRequest[] _requests = [];
    private IReadOnlyList<Rule> _pack = [];

    [GlobalSetup]
    public void Setup()
    {
        var counter = new RequestCounter();
        var capture = new AuditStreamDecoder().Decode(File.ReadAllBytes(BenchmarkData.Path("perfspec_helm_audit.jsonl")), "bench")
            .Select(r => r.Event!.Value)
            .Where(e => counter.Observe(e) == StageVerdict.Counted)
            .Select(e => RequestNormalizer.Normalize(e))
            .ToList();
        _requests = [.. Enumerable.Range(0, Copies)
            .SelectMany(copy => capture.Select((r, i) => r with { Time = r.Time.AddHours(copy), AuditId = SyntheticRequests.Uuid(i, (short)copy) }))
            .OrderBy(r => r.Time)
            .Select(r => new OrderedRequest(r, EventTiming.InOrder))];
        _pack = RuleSetLoader.Load(BenchmarkData.Rules).Enabled;
    }

    [Benchmark(Baseline = true)]
    public int DictionaryUpdate() => RuleHarness.CountByUser(_requests);

    [Benchmark]
    public int DefaultPack() => RuleHarness.Run(_requests, _pack);
}
