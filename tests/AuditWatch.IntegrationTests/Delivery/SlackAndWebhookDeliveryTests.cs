using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Delivery;

/// <summary>The live service delivering to a Slack-like receiver and a signed webhook, through 429s, 500s and refusals.</summary>
public sealed class SlackAndWebhookDeliveryTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-slack-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    private async Task<AuditWatchProcess> RunSampleAsync(params string[] settings)
    {
        var service = AuditWatchProcess.Start(_workingDirectory, https: false, ["--Delivery:InitialDelay=00:00:00.2", "--Delivery:MaxDelay=00:00:02", .. settings]);
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);
        await client.SendFilesAsync(Incidents.Sample("secret-burst.jsonl"));
        return service;
    }

    [Fact]
    public async Task Slack_gets_valid_block_kit_through_429s_and_500s()
    {
        using var slack = new RecordingReceiver([429, 429, 500], (body, _) => SlackSchema.Check(body));
        await using var service = await RunSampleAsync($"--Sinks:Slack:WebhookUrl={slack.Url}");
        using var http = new HttpClient();
        await MetricsScrape.WaitForAsync(http, service.BaseAddress, "auditwatch_deliveries_total{sink=\"slack\"}", 4);
        var failures = await MetricsScrape.ValueAsync(http, service.BaseAddress, "auditwatch_delivery_failures_total{sink=\"slack\"}");
        await service.StopAsync();

        var requests = slack.Requests.ToList();
        Assert.All(requests, r => Assert.Null(r.Problem));
        Assert.Equal([429, 429, 500], requests.Take(3).Select(r => r.Status));
        Assert.Equal(3, failures);
        var accounting = AccountingCheck.AssertBalancedAtStop(service);
        Assert.True(accounting["notices for slack"]["delivered"] > 0);
        Assert.Equal(0, accounting["notices for slack"]["dead-lettered"] + accounting["notices for slack"]["lost"]);
        var delivered = requests.Where(r => r.Status == 200).Select(r => r.Body).ToList();
        Assert.Contains(delivered, body => body.Contains("system:serviceaccount:ci:deploy-bot", StringComparison.Ordinal)
            && body.Contains("One identity read many distinct Secrets", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_workingDirectory, "data", "dead-letter.jsonl")));
    }

    [Fact]
    public async Task A_refusing_sink_fills_the_dead_letter_and_shows_in_readyz_while_the_file_sink_still_delivers()
    {
        using var slack = new RecordingReceiver(Enumerable.Repeat(403, 1000), (_, _) => null);
        var alertsFile = Path.Combine(_workingDirectory, "alerts.jsonl");
        await using var service = await RunSampleAsync($"--Sinks:Slack:WebhookUrl={slack.Url}", $"--Sinks:File:Path={alertsFile}");
        using var http = new HttpClient();
        await MetricsScrape.WaitForAsync(http, service.BaseAddress, "auditwatch_dead_letters_total{sink=\"slack\"}", 1);
        var ready = await http.GetStringAsync(new Uri(service.BaseAddress, "/readyz"));
        await service.StopAsync();

        using var readiness = JsonDocument.Parse(ready);
        Assert.Contains("403", readiness.RootElement.GetProperty("failingSinks").GetProperty("slack").GetString(), StringComparison.Ordinal);
        var deadLetters = File.ReadAllLines(Path.Combine(_workingDirectory, "data", "dead-letter.jsonl"));
        Assert.All(deadLetters, line => Assert.Contains("\"sink\":\"slack\"", line, StringComparison.Ordinal));
        Assert.All(slack.Requests, r => Assert.Equal(403, r.Status));
        Assert.Equal(deadLetters.Length, slack.Requests.Count);
        var accounting = AccountingCheck.AssertBalancedAtStop(service);
        Assert.True(accounting["notices for slack"]["dead-lettered"] > 0);
        Assert.Equal(0, accounting["notices for slack"]["delivered"] + accounting["notices for slack"]["lost"]);
        Assert.Equal(accounting["notices for slack"]["="] - accounting["notices for slack"]["superseded"] - accounting["notices for slack"]["unsent resolved"], accounting["notices for file"]["delivered"]);
        Assert.Contains(File.ReadAllLines(alertsFile), line => line.Contains("\"rule\":\"secret-read-burst\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_webhook_sink_signs_each_alert()
    {
        const string key = "hmac-key-for-the-test";
        using var receiver = new RecordingReceiver([], (body, headers) =>
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(body)));
            return headers.TryGetValue("X-AuditWatch-Signature", out var signature) && signature == expected ? null : "bad signature";
        });
        await using var service = await RunSampleAsync($"--Sinks:Webhook:Url={receiver.Url}", $"--Sinks:Webhook:Secret={key}");
        await service.StopAsync();

        Assert.NotEmpty(receiver.Requests);
        Assert.All(receiver.Requests, r => Assert.Null(r.Problem));
        Assert.All(receiver.Requests, r => Assert.StartsWith("{\"rule\":", r.Body, StringComparison.Ordinal));
        Assert.Contains(receiver.Requests, r => r.Body.Contains("\"status\":\"resolved\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silence_added_from_the_cli_mutes_a_running_service()
    {
        using var receiver = new RecordingReceiver([], (_, _) => null);
        var silence = await CliAsync("silence", "add", "user=system:serviceaccount:ci:deploy-bot", "--duration", "1h", "--comment", "red team exercise");
        await using var service = await RunSampleAsync($"--Sinks:Webhook:Url={receiver.Url}");
        using var http = new HttpClient();
        await MetricsScrape.WaitForAsync(http, service.BaseAddress, "auditwatch_alerts_silenced_total{rule=\"secret-read-burst\"}", 1);
        await service.StopAsync();

        Assert.Equal(0, silence.ExitCode);
        Assert.Empty(receiver.Requests);
        Assert.Contains("red team exercise", (await CliAsync("silence", "list")).Stdout, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Stdout)> CliAsync(params string[] args)
    {
        var (exitCode, stdout, _) = await AuditWatchCli.RunAsync(_workingDirectory, args);
        return (exitCode, stdout);
    }
}
