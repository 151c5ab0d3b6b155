using System.Text.Json.Nodes;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Reliability;

/// <summary>
/// A control-plane node whose clock is wrong sends one request stamped decades ahead in the middle of a credential-theft
/// burst. Taken as the stream's time it would make the rest of the burst late, and the burst rules would stay silent.
/// </summary>
public sealed class ClockSkewTests : IDisposable
{
    private const string BrokenClockAuditId = "7d1f0c52-3a52-4d0e-8d55-2b8f7c9e41aa";
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-skew-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task A_request_stamped_decades_ahead_mid_burst_costs_no_alert_and_is_named_in_the_log()
    {
        var sample = Incidents.Sample("secret-burst.jsonl");
        var lines = File.ReadAllLines(sample).Where(l => l.Length > 0).ToList();
        var broken = JsonNode.Parse(lines.First(l => l.Contains("\"resource\":\"secrets\"", StringComparison.Ordinal)))!;
        broken["auditID"] = BrokenClockAuditId;
        broken["user"] = new JsonObject { ["username"] = "system:anonymous", ["groups"] = new JsonArray("system:unauthenticated") };
        broken["requestReceivedTimestamp"] = "2100-01-01T00:00:00.000000Z";
        broken["stageTimestamp"] = "2100-01-01T00:00:00.002000Z";
        // Right after the stolen token's first read, from outside the pod network.
        lines.Insert(lines.FindIndex(l => l.Contains("203.0.113.50", StringComparison.Ordinal)) + 1, broken.ToJsonString());
        var skewed = Path.Combine(_workingDirectory, "skewed.jsonl");
        await File.WriteAllLinesAsync(skewed, lines);

        // A short lateness (the sample is at most 7 s out of order) so that the requests stop waiting soon after.
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--Detection:AllowedLateness=00:00:10");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);
        await client.SendFilesAsync(skewed);

        await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_requests_stamped_ahead_total", 1);
        var atRest = await AccountingCheck.AssertBalancedAtRestAsync(client.Http, service.BaseAddress);
        Assert.Equal(1, atRest.Sum("auditwatch_requests_stamped_ahead_total"));
        Assert.Equal(0, atRest.Sum("auditwatch_late_events_total"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!service.Stderr.Contains(BrokenClockAuditId, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await service.StopAsync();

        var live = Incidents.Final(service.StdoutLines);
        Assert.Equal(await Incidents.ReplayAsync(sample), live.Where(l => !l.StartsWith("anonymous-secret-access ", StringComparison.Ordinal)));
        Assert.Contains(live, l => l.StartsWith("anonymous-secret-access system:anonymous ", StringComparison.Ordinal));
        Assert.Contains($"audit ID {BrokenClockAuditId} by system:anonymous at 2100-01-01T00:00:00", service.Stderr, StringComparison.Ordinal);
    }
}
