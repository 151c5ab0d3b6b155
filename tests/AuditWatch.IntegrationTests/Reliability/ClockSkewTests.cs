using AuditWatch.IntegrationTests.Support;
using AuditWatch.TestSupport;

namespace AuditWatch.IntegrationTests.Reliability;

/// <summary>
/// A control-plane node whose clock is wrong sends one request stamped decades ahead in the middle of a credential-theft
/// burst. Taken as the stream's time it would make the rest of the burst late, and the burst rules would stay silent.
/// </summary>
public sealed class ClockSkewTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-skew-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task A_request_stamped_decades_ahead_mid_burst_costs_no_alert_and_is_named_in_the_log()
    {
        var sample = Incidents.Sample("secret-burst.jsonl");
        var skewed = await BrokenClockRecording.WriteAsync(sample, _workingDirectory);

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
        while (!service.Stderr.Contains(BrokenClockRecording.AuditId, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await service.StopAsync();

        var live = Incidents.Final(service.StdoutLines);
        Assert.Equal(await Incidents.ReplayAsync(sample), live.Where(l => !l.StartsWith("anonymous-secret-access ", StringComparison.Ordinal)));
        Assert.Contains(live, l => l.StartsWith("anonymous-secret-access system:anonymous ", StringComparison.Ordinal));
        Assert.Contains($"audit ID {BrokenClockRecording.AuditId} by system:anonymous at 2100-01-01T00:00:00", service.Stderr, StringComparison.Ordinal);
    }
}
