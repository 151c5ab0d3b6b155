using Prometheus;

namespace AuditWatch.Metrics;

public static class RuntimePauseMetrics
{
    public const string Name = "auditwatch_runtime_pause_seconds";

    private static readonly double[] Buckets = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

    /// <summary>Starts timing the runtime's pauses into <paramref name="factory"/>'s registry until the listener is disposed.</summary>
    public static RuntimePauseListener Start(IMetricFactory factory)
    {
        var pauses = factory.CreateHistogram(Name, "Stop-the-world pauses of the .NET runtime (every thread suspended), by cause: a collection of generation 0, 1 or 2, or other (the JIT's tiering patching code, a debugger).", ["cause"], new HistogramConfiguration { Buckets = Buckets });
        foreach (var cause in RuntimePauseListener.Causes)
        {
            // Born at zero, so rates and panels read 0 before the first pause of a cause rather than nothing.
            pauses.WithLabels(cause);
        }

        return new RuntimePauseListener(pauses);
    }
}
