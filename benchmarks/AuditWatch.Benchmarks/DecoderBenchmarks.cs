using System.Text.Json;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// The decoder against the floor it cannot beat: a bare <see cref="Utf8JsonReader"/> token scan of the same bytes
/// (the real PerfSPEC capture, 16,563 Metadata-level events). Read the ratio column. Frame and Parse split Decode
/// into its two passes: finding where each item ends, and reading the fields detection needs out of it.
/// </summary>
[MemoryDiagnoser]
public class DecoderBenchmarks
{
    private readonly AuditStreamDecoder _decoder = new();
    private byte[] _log = [];
    private Range[] _lines = [];

    [GlobalSetup]
    public void Load()
    {
        _log = File.ReadAllBytes(BenchmarkData.Path("perfspec_helm_audit.jsonl"));
        var lines = new List<Range>();
        var start = 0;
        for (var i = 0; i < _log.Length; i++)
        {
            if (_log[i] == '\n')
            {
                lines.Add(start..i);
                start = i + 1;
            }
        }

        _lines = [.. lines];
    }

    [Benchmark(Baseline = true)]
    public int BareTokenScan() => TokenScan.Count(_log);

    [Benchmark]
    public int Decode() => _decoder.Decode(_log, "bench").Count;

    [Benchmark]
    public int Frame()
    {
        var counter = new CountingHandler();
        using var framer = new JsonItemFramer(counter, 4 * 1024 * 1024);
        framer.Feed(_log);
        framer.Complete();
        return counter.Items;
    }

    [Benchmark]
    public int Parse()
    {
        var decoded = 0;
        foreach (var line in _lines)
        {
            if (AuditEventParser.Parse(_log.AsSpan(line), new SourcePosition("bench", 0, -1)).Event is not null)
            {
                decoded++;
            }
        }

        return decoded;
    }

    private sealed class CountingHandler : IFrameHandler
    {
        public int Items { get; private set; }

        public void OnItem(ReadOnlySpan<byte> item, long line, long index) => Items++;

        public void OnError(long line, long index, DecodeErrorKind kind, string reason)
        {
        }
    }
}
