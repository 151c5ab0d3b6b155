using System.Text;
using AuditWatch.Ingestion.Decoding;
using BenchmarkDotNet.Attributes;
using Prometheus;

namespace AuditWatch.Benchmarks;

/// <summary>
/// What the Prometheus instrumentation adds to one webhook request, against the least work a request does: decoding
/// its 400-event body (detection and HTTP come on top, so the real share is smaller still). On the hot path the only
/// instrumentation is one histogram observation per request; pipeline counters are plain increments the summary needs
/// anyway and are read by collectors at scrape time, whose cost is measured separately (one scrape per interval).
/// </summary>
[MemoryDiagnoser]
public class MetricsOverheadBenchmarks
{
    private readonly AuditStreamDecoder _decoder = new();
    private byte[] _body = [];
    private Histogram _duration = null!;
    private CollectorRegistry _registry = null!;

    [GlobalSetup]
    public void Setup()
    {
        var items = File.ReadLines(BenchmarkData.Path("perfspec_helm_audit.jsonl")).Take(400);
        _body = Encoding.UTF8.GetBytes("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":[" + string.Join(",", items) + "]}");
        _registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(_registry);

        // The same series AuditWatch exposes, in number: the request histogram by status code and a counter per rule.
        _duration = factory.CreateHistogram("auditwatch_webhook_request_duration_seconds", "Time to answer a webhook request.",
            new HistogramConfiguration { LabelNames = ["code"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        foreach (var code in new[] { "200", "400", "401", "413", "415", "429", "503" })
        {
            _duration.WithLabels(code).Observe(0.001);
        }

        var evaluations = factory.CreateCounter("auditwatch_rule_evaluations_total", "Requests each rule looked at.", "rule");
        for (var i = 0; i < 16; i++)
        {
            evaluations.WithLabels($"rule-{i}").Inc(1000);
        }
    }

    [Benchmark(Baseline = true)]
    public int DecodeBody() => _decoder.Decode(_body, "bench").Count;

    [Benchmark]
    public void ObserveRequest() => _duration.WithLabels("200").Observe(0.0012);

    [Benchmark]
    public long Scrape()
    {
        using var stream = new MemoryStream();
        _registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return stream.Length;
    }
}
