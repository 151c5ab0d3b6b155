using System.Text.Json;
using AuditWatch.Ingestion.Decoding;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// The decoder against the floor it cannot beat: a bare <see cref="Utf8JsonReader"/> token scan of the same bytes
/// (the real PerfSPEC capture, 16,563 Metadata-level events). Read the ratio column.
/// </summary>
[MemoryDiagnoser]
public class DecoderBenchmarks
{
    private byte[] _log = [];
    private readonly AuditStreamDecoder _decoder = new();

    [GlobalSetup]
    public void Load() => _log = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "perfspec_helm_audit.jsonl"));

    [Benchmark(Baseline = true)]
    public int BareTokenScan()
    {
        var reader = new Utf8JsonReader(_log, new JsonReaderOptions { AllowMultipleValues = true });
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public int Decode() => _decoder.Decode(_log, "bench").Count;
}
