using System.Globalization;

namespace AuditWatch.IntegrationTests.Support;

internal static class MetricsScrape
{
    /// <summary>The value of one sample of /metrics, such as <c>auditwatch_events_decoded_total{source="file"}</c>; 0 when absent.</summary>
    public static async Task<double> ValueAsync(HttpClient client, Uri baseAddress, string sample)
    {
        var text = await client.GetStringAsync(new Uri(baseAddress, "/metrics"));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(sample + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
    }

    public static async Task WaitForAsync(HttpClient client, Uri baseAddress, string sample, double expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        double value = 0;
        while (DateTime.UtcNow < deadline)
        {
            value = await ValueAsync(client, baseAddress, sample);
            if (value >= expected)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{sample} stayed at {value}, expected {expected}");
    }
}
