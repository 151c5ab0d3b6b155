using AuditWatch.Metrics;
using Prometheus;

namespace AuditWatch.Tests.Metrics;

public sealed class RuntimePauseListenerTests
{
    [Fact]
    public async Task A_full_blocking_collection_is_observed_as_a_pause_of_generation_2()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var listener = RuntimePauseMetrics.Start(Prometheus.Metrics.WithCustomRegistry(registry));

        // The runtime hands its events to listeners on a thread of its own, a little later: collect until one arrives.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountAsync(registry, "gen2") == 0 && DateTime.UtcNow < deadline)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            await Task.Delay(100);
        }

        var text = await ScrapeAsync(registry);
        Assert.True(await CountAsync(registry, "gen2") >= 1, text);
        var seconds = Sample(text, $"{RuntimePauseMetrics.Name}_sum{{cause=\"gen2\"}}");
        Assert.InRange(seconds, double.Epsilon, 10);
    }

    [Fact]
    public async Task Every_cause_is_exported_from_the_start_and_nothing_is_observed_after_the_listener_is_disposed()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var listener = RuntimePauseMetrics.Start(Prometheus.Metrics.WithCustomRegistry(registry));
        listener.Dispose();
        var before = await CountsAsync(registry);

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        await Task.Delay(500);

        Assert.Equal(before, await CountsAsync(registry));
    }

    private static async Task<double[]> CountsAsync(CollectorRegistry registry)
    {
        var text = await ScrapeAsync(registry);
        return [.. RuntimePauseListener.Causes.Select(cause => Sample(text, $"{RuntimePauseMetrics.Name}_count{{cause=\"{cause}\"}}"))];
    }

    private static async Task<double> CountAsync(CollectorRegistry registry, string cause) =>
        Sample(await ScrapeAsync(registry), $"{RuntimePauseMetrics.Name}_count{{cause=\"{cause}\"}}");

    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no {series} in:\n{text}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
