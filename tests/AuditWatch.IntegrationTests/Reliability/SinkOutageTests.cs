using System.Diagnostics;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Reliability;

/// <summary>
/// A receiver that rate-limits (429 with Retry-After) for over a minute and then hangs past the attempt timeout for
/// almost another, with the default retry settings: its alerts arrive once it recovers, none go to the dead letter, and
/// meanwhile detection and the other sink are not held up.
/// </summary>
public sealed class SinkOutageTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-outage-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task A_sink_rate_limiting_then_hanging_for_two_minutes_gets_every_alert_with_the_default_retries()
    {
        var clock = new Stopwatch();
        using var receiver = new RecordingReceiver([], (_, _) => null)
        {
            RetryAfterSeconds = 10,
            Behaviour = () => clock.Elapsed switch
            {
                var t when t < TimeSpan.FromSeconds(70) => (429, TimeSpan.Zero),
                var t when t < TimeSpan.FromSeconds(120) => (200, TimeSpan.FromSeconds(40)),
                _ => (200, TimeSpan.Zero),
            },
        };
        var alerts = Path.Combine(_workingDirectory, "alerts.jsonl");
        await using var service = AuditWatchProcess.Start(
            _workingDirectory,
            https: false,
            $"--Sinks:Webhook:Url={receiver.Url}",
            $"--Sinks:File:Path={alerts}",
            "--Detection:AllowedLateness=00:00:05");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);
        clock.Start();

        await client.SendFilesAsync(Incidents.Sample("secret-burst.jsonl"), Incidents.Sample("impersonation.jsonl"));
        await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_sink_alerts_ended_total{sink=\"file\",outcome=\"delivered\"}", 2);
        var fileDeliveredAt = clock.Elapsed;
        await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_sink_alerts_ended_total{sink=\"webhook\",outcome=\"delivered\"}", 2, TimeSpan.FromSeconds(300));
        var webhookDeliveredAt = clock.Elapsed;
        await AccountingCheck.AssertBalancedAtRestAsync(client.Http, service.BaseAddress);
        var failures = await MetricsScrape.ValueAsync(client.Http, service.BaseAddress, "auditwatch_delivery_failures_total{sink=\"webhook\"}");
        await service.StopAsync();

        Assert.True(fileDeliveredAt < TimeSpan.FromSeconds(70), $"the file sink waited for the failing one ({fileDeliveredAt})");
        Assert.True(webhookDeliveredAt >= TimeSpan.FromSeconds(120), $"delivered during the outage ({webhookDeliveredAt})?");
        Assert.Contains(receiver.Requests, r => r.Status == 429);
        Assert.True(receiver.Delayed > 0, "no attempt met the hanging receiver");
        Assert.True(failures > 0);
        var accounting = AccountingCheck.AssertBalancedAtStop(service);
        Assert.Equal(0, accounting["notices for webhook"]["dead-lettered"] + accounting["notices for webhook"]["lost"]);
        Assert.False(File.Exists(Path.Combine(_workingDirectory, "data", "dead-letter.jsonl")));

        // Every incident the file sink saw reached the receiver too.
        static string Incident(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("incidentId").GetString()!;
        var delivered = receiver.Requests.Where(r => r.Status == 200).Select(r => Incident(r.Body)).ToHashSet();
        Assert.All(File.ReadAllLines(alerts).Select(Incident).Distinct(), incident => Assert.Contains(incident, delivered));
    }
}
