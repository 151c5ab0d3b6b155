using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Reliability;

/// <summary>
/// The two memory bounds of detection (the ordering buffer and the request memory), set small: a busy stream goes past
/// both, each time is counted where an operator sees it, and every request is still accounted for.
/// </summary>
public sealed class MemoryCapsTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-caps-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task Past_the_caps_requests_are_released_and_forgotten_early_counted_and_none_lost()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--Detection:MaxBufferedRequests=50", "--Detection:RememberedRequests=500", "--Detection:AllowedLateness=00:00:05");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);
        var lines = File.ReadLines(Incidents.Fixture("perfspec_helm_audit.jsonl")).Take(4000).ToList();

        foreach (var batch in lines.Chunk(WebhookClient.BatchSize))
        {
            await client.SendWithRetriesAsync(WebhookClient.EventList(batch));
        }

        var samples = await AccountingCheck.AssertBalancedAtRestAsync(client.Http, service.BaseAddress);

        Assert.Equal(lines.Count, samples.Sum("auditwatch_events_decoded_total"));
        Assert.True(samples.Sum("auditwatch_requests_released_early_total") > 0, "the ordering buffer never reached its cap of 50");
        Assert.True(samples.Sum("auditwatch_requests_forgotten_early_total") > 0, "the request memory never reached its cap of 500");
    }
}
