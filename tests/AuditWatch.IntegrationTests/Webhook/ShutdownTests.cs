using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Webhook;

/// <summary>SIGTERM right after the last batch: everything accepted goes through detection before the process exits.</summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-stop-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task Shutdown_drains_every_accepted_event_and_resolves_open_incidents()
    {
        var sample = Incidents.Sample("secret-burst.jsonl");

        // A shutdown timeout far beyond StopAsync's wait: the process must exit because it drained, not because time ran out.
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--Shutdown:Timeout=00:10:00");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);

        await client.SendFilesAsync(sample);
        var exitCode = await service.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(await Incidents.ReplayAsync(sample), Incidents.Final(service.StdoutLines));
        Assert.Contains("Application is shutting down", service.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdout_carries_only_alerts_and_logs_go_to_stderr()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false);
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);

        await client.SendFilesAsync(Incidents.Sample("cluster-wide-list.jsonl"));
        await service.StopAsync();

        Assert.NotEmpty(service.StdoutLines);
        Assert.All(service.StdoutLines, line => Assert.StartsWith("{\"rule\":", line, StringComparison.Ordinal));
        Assert.Contains("Now listening on: http://127.0.0.1:", service.Stderr, StringComparison.Ordinal);
    }
}
