using AuditWatch.Core.Events;
using AuditWatch.Detection.Normalize;
using AuditWatch.Ingestion.Decoding;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Counting each request once and normalizing it (identity parsing, Secret-read classification, outcome, user-agent
/// product) over the decoded PerfSPEC capture, against a loop that only reads the same fields of every event.
/// </summary>
[MemoryDiagnoser]
public class NormalizationBenchmarks
{
    private AuditEvent[] _events = [];

    [GlobalSetup]
    public void Load() => _events = [.. new AuditStreamDecoder().Decode(File.ReadAllBytes(BenchmarkData.Path("perfspec_helm_audit.jsonl")), "bench").Select(r => r.Event!.Value)];

    [Benchmark(Baseline = true)]
    public int ReadFields()
    {
        var sum = 0;
        foreach (var e in _events)
        {
            sum += (e.AuditId.IsNone ? 0 : 1) + e.User.Username.Length + e.Verb.Length + (e.RequestUri?.Length ?? 0) + (e.ObjectRef?.Resource?.Length ?? 0) + (e.ResponseCode ?? 0);
        }

        return sum;
    }

    [Benchmark]
    public int CountAndNormalize()
    {
        var counter = new RequestCounter();
        var secretReads = 0;
        foreach (var e in _events)
        {
            if (counter.Observe(e) == StageVerdict.Counted && RequestNormalizer.Normalize(e).SecretRead is not null)
            {
                secretReads++;
            }
        }

        return secretReads;
    }
}
