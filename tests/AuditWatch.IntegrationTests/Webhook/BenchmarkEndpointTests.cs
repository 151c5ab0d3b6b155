using System.Net;
using System.Text;
using System.Text.Json;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Webhook;

/// <summary>The token-scan baseline of benchmarks/load: absent unless enabled, loopback only, and it only scans.</summary>
public sealed class BenchmarkEndpointTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-bench-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    private static string Batch() =>
        WebhookClient.EventList(File.ReadLines(Incidents.Fixture("perfspec_helm_audit.jsonl")).Take(50));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_scan_endpoint_is_not_served_by_default()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false);
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);

        using var response = await client.Http.PostAsync(new Uri(service.BaseAddress, "/bench/scan"), Json(Batch()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task When_enabled_it_counts_the_tokens_and_hands_nothing_to_detection()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--Benchmark:ScanEndpoint=true");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);
        var body = Batch();

        using var response = await client.Http.PostAsync(new Uri(service.BaseAddress, "/bench/scan"), Json(body));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TokenCount(body), answer.RootElement.GetProperty("tokens").GetInt64());
        Assert.Equal(0, await MetricsScrape.ValueAsync(client.Http, service.BaseAddress, "auditwatch_events_received_total{source=\"webhook\"}"));
    }

    [Fact]
    public async Task When_enabled_a_body_that_is_not_json_gets_400()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--Benchmark:ScanEndpoint=true");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);

        using var response = await client.Http.PostAsync(new Uri(service.BaseAddress, "/bench/scan"), Json("{\"items\":[{"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task It_is_refused_on_a_listener_beyond_loopback()
    {
        var (exitCode, _, stderr) = await AuditWatchCli.RunAsync(_workingDirectory, "run", "--urls", "http://0.0.0.0:18090", "--Benchmark:ScanEndpoint=true");

        Assert.Equal(2, exitCode);
        Assert.Contains("Benchmark:ScanEndpoint is for measurements on loopback only, but urls has http://0.0.0.0:18090", stderr, StringComparison.Ordinal);
    }

    private static long TokenCount(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        long tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}
