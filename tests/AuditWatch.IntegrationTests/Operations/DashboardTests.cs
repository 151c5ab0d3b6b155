using System.Text.Json;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Operations;

/// <summary>
/// Every panel of the Grafana dashboards, asked of a real Prometheus that scrapes a running AuditWatch fed sample
/// traffic through its webhook and a Kafka topic (the mock cluster inside librdkafka): each expression must parse and
/// return data.
/// </summary>
public sealed class DashboardTests : IDisposable
{
    private const string Topic = "k8s-audit";
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-dash-").FullName;
    private readonly MockKafkaCluster _kafka = new();

    public void Dispose()
    {
        _kafka.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task Every_panel_query_returns_data()
    {
        await _kafka.CreateTopicAsync(Topic);
        await _kafka.ProduceAsync(Topic, KafkaMessages.FromLines(Incidents.Sample("cluster-wide-list.jsonl")));
        await using var service = AuditWatchProcess.Start(
            _workingDirectory,
            https: false,
            $"--Sinks:File:Path={Path.Combine(_workingDirectory, "alerts.jsonl")}",
            $"--Kafka:BootstrapServers={_kafka.BootstrapServers}",
            $"--Kafka:Topic={Topic}",
            "--Kafka:GroupId=dashboards");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);

        // Counters and histograms are born with their first sample, which rate() only uses as a baseline: start them
        // before Prometheus scrapes, then send the traffic the panels show.
        await client.SendFilesAsync(Incidents.Sample("benign-hour.jsonl"));
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
        await Task.Delay(TimeSpan.FromSeconds(3));

        await client.SendFilesAsync(Incidents.Sample("secret-burst.jsonl"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await client.SendFilesAsync(Incidents.Sample("impersonation.jsonl"));
        using (var bad = await client.PostAsync(WebhookClient.EventList(File.ReadLines(Incidents.Sample("cluster-wide-list.jsonl")).Take(3)).Replace("\"items\":[", "\"items\":[{\"not\":\"an event\"},", StringComparison.Ordinal)))
        {
            Assert.True(bad.IsSuccessStatusCode);
        }

        // Traffic keeps flowing while the panels are asked, as on a live cluster: rates need changes between scrapes.
        using var stop = new CancellationTokenSource();
        var trickle = Task.Run(async () =>
        {
            var line = WebhookClient.EventList(File.ReadLines(Incidents.Sample("benign-hour.jsonl")).Take(5));
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsync(line);
                await Task.Delay(300, CancellationToken.None);
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(6));
        var failures = new List<string>();
        foreach (var (dashboard, title, expr) in Panels())
        {
            var (ok, detail) = await QueryAsync(client.Http, prometheus, expr);
            if (!ok)
            {
                failures.Add($"{dashboard} / {title}: {detail}\n  {expr}");
            }
        }

        await stop.CancelAsync();
        await trickle;
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(Panels().Count() >= 20);
    }

    private static IEnumerable<(string Dashboard, string Title, string Expr)> Panels()
    {
        foreach (var file in Directory.GetFiles(Repository.Path("deploy", "grafana", "dashboards"), "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in document.RootElement.GetProperty("panels").EnumerateArray())
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    yield return (Path.GetFileName(file), panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!);
                }
            }
        }
    }

    /// <summary>Retries for a while: rate() needs two scrapes inside its window.</summary>
    private static async Task<(bool Ok, string Detail)> QueryAsync(HttpClient http, ExternalServer prometheus, string expr)
    {
        var detail = string.Empty;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            using var response = await http.GetAsync(new Uri(prometheus.BaseAddress, "/api/v1/query?query=" + Uri.EscapeDataString(expr)));
            var body = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.GetProperty("status").GetString() != "success")
            {
                return (false, "error: " + document.RootElement.GetProperty("error").GetString());
            }

            var result = document.RootElement.GetProperty("data").GetProperty("result");
            if (result.ValueKind == JsonValueKind.Array && result.GetArrayLength() > 0 && result.EnumerateArray().Any(r => r.GetProperty("value")[1].GetString() != "NaN"))
            {
                return (true, string.Empty);
            }

            detail = "empty result: " + body[..Math.Min(body.Length, 300)];
            await Task.Delay(500);
        }

        return (false, detail);
    }
}
