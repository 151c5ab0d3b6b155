using System.Text;
using AuditWatch.Ingestion.Decoding;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// The decoder as the webhook uses it: the PerfSPEC capture sent as EventList bodies of 400 events (what the apiserver's
/// webhook backend batches), each decoded on its own and its results handed on, against a bare
/// <see cref="TokenScan"/> of the same bodies. Unlike <see cref="DecoderBenchmarks.Decode"/>, which
/// holds all 16,563 results of one 8 MB body at once, no result outlives its body here. Read the ratio column.
/// <see cref="Decode"/> grows a new result list per body; <see cref="DecodeIntoReusedList"/> reuses one, as the webhook does.
/// </summary>
[MemoryDiagnoser]
public class WebhookBodyDecoderBenchmarks
{
    private const int EventsPerBody = 400;
    private readonly AuditStreamDecoder _decoder = new();
    private readonly List<DecodeResult> _results = [];
    private byte[][] _bodies = [];

    [GlobalSetup]
    public void Load()
    {
        var lines = File.ReadLines(BenchmarkData.Path("perfspec_helm_audit.jsonl")).Where(l => l.Length > 0).ToList();
        _bodies = [.. lines.Chunk(EventsPerBody).Select(items =>
            Encoding.UTF8.GetBytes($$"""{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{{string.Join(",", items)}}]}"""))];
    }

    [Benchmark(Baseline = true)]
    public int BareTokenScan()
    {
        var tokens = 0;
        foreach (var body in _bodies)
        {
            tokens += TokenScan.Count(body);
        }

        return tokens;
    }

    [Benchmark]
    public int Decode()
    {
        var events = 0;
        foreach (var body in _bodies)
        {
            events += _decoder.Decode(body, "webhook").Count;
        }

        return events;
    }

    /// <summary>As the webhook decodes: into one list per thread, cleared after each body (its results handed on).</summary>
    [Benchmark]
    public int DecodeIntoReusedList()
    {
        var events = 0;
        foreach (var body in _bodies)
        {
            _results.Clear();
            _decoder.DecodeInto(body, "webhook", _results);
            events += _results.Count;
        }

        return events;
    }
}
