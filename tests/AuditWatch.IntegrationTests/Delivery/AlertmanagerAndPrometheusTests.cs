using System.Text.Json;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Delivery;

/// <summary>A real Alertmanager receiving and resolving the alerts; a real Prometheus scraping the alert counters.</summary>
public sealed class AlertmanagerAndPrometheusTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-am-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task Alertmanager_receives_the_incident_and_sees_it_resolved()
    {
        await using var alertmanager = ExternalServer.Start("/usr/bin/prometheus-alertmanager", (port, directory) =>
        {
            File.WriteAllText(Path.Combine(directory, "alertmanager.yml"), "route:\n  receiver: log\nreceivers:\n  - name: log\n");
            return [$"--config.file={Path.Combine(directory, "alertmanager.yml")}", $"--storage.path={directory}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="];
        });
        await alertmanager.WaitReadyAsync("/-/ready");
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, $"--Sinks:Alertmanager:Url={alertmanager.BaseAddress}");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);

        await client.SendFilesAsync(Incidents.Sample("secret-burst.jsonl"));
        var firing = await WaitUntilAsync(client.Http, alertmanager, alerts => alerts.Any(IsBurst));
        await service.StopAsync();
        var afterResolution = await WaitUntilAsync(client.Http, alertmanager, alerts => !alerts.Any(IsBurst));

        var burst = firing.First(IsBurst);
        Assert.Equal("high", Label(burst, "severity"));
        Assert.Equal("T1552.007", Label(burst, "mitre_attack"));
        Assert.False(string.IsNullOrEmpty(Label(burst, "incident")));
        Assert.Contains("system:serviceaccount:ci:deploy-bot", burst.GetProperty("annotations").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(afterResolution, IsBurst);
    }

    [Fact]
    public async Task Prometheus_scrapes_the_alert_counters()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false);
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);
        await using var prometheus = ExternalServer.Start("/usr/bin/prometheus", (port, directory) =>
        {
            File.WriteAllText(Path.Combine(directory, "prometheus.yml"), $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: auditwatch
                    static_configs:
                      - targets: ["127.0.0.1:{service.BaseAddress.Port}"]
                """);
            return [$"--config.file={Path.Combine(directory, "prometheus.yml")}", $"--storage.tsdb.path={directory}/data", $"--web.listen-address=127.0.0.1:{port}"];
        });
        await prometheus.WaitReadyAsync("/-/ready");

        await client.SendFilesAsync(Incidents.Sample("secret-burst.jsonl"));
        var value = await QueryAsync(client.Http, prometheus, "sum(auditwatch_alerts_total{rule=\"secret-read-burst\",status=\"firing\"})");
        var decoded = await QueryAsync(client.Http, prometheus, "auditwatch_events_decoded_total{source=\"webhook\"}");

        Assert.Equal(1, value);
        Assert.Equal(File.ReadLines(Incidents.Sample("secret-burst.jsonl")).Count(), decoded);
    }

    private static async Task<double> QueryAsync(HttpClient http, ExternalServer prometheus, string query)
    {
        var text = await WaitForAsync(http, prometheus, query);
        return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> WaitForAsync(HttpClient http, ExternalServer prometheus, string query)
    {
        for (var i = 0; i < 300; i++)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(prometheus.BaseAddress, "/api/v1/query?query=" + Uri.EscapeDataString(query))));
            var result = document.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() > 0)
            {
                return result[0].GetProperty("value")[1].GetString()!;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Prometheus never had {query}");
    }

    /// <summary>Polls Alertmanager's active alerts until the condition holds, and returns them.</summary>
    private static async Task<List<JsonElement>> WaitUntilAsync(HttpClient http, ExternalServer alertmanager, Func<List<JsonElement>, bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            var alerts = JsonDocument.Parse(await http.GetStringAsync(new Uri(alertmanager.BaseAddress, "/api/v2/alerts"))).RootElement.EnumerateArray().ToList();
            if (condition(alerts))
            {
                return alerts;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("Alertmanager never showed the expected alerts");
    }

    private static bool IsBurst(JsonElement alert) => Label(alert, "alertname") == "secret-read-burst";

    private static string? Label(JsonElement alert, string name) =>
        alert.GetProperty("labels").TryGetProperty(name, out var value) ? value.GetString() : null;
}
