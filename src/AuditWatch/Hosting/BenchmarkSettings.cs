namespace AuditWatch.Hosting;

/// <summary>The <c>Benchmark</c> section: measurement aids for benchmarks/load, all off by default.</summary>
public sealed class BenchmarkSettings
{
    public const string Section = "Benchmark";

    /// <summary>Maps <c>POST /bench/scan</c>, the token-scan baseline the webhook's rate is compared with.</summary>
    public bool ScanEndpoint { get; set; }

    /// <summary>
    /// Leaves out the Prometheus instrumentation (the collectors, <c>GET /metrics</c>, the webhook duration histogram),
    /// so that its overhead can be measured as the difference.
    /// </summary>
    public bool NoMetrics { get; set; }
}
