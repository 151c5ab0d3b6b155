using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Webhook;

/// <summary>A full queue answers 429 with Retry-After; the apiserver retries the batch; nothing answered 2xx is lost.</summary>
public sealed class BackpressureTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-429-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task Concurrent_batches_beyond_the_queue_get_429_and_all_arrive_after_retries()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--Queue:CapacityEvents=400", "--Webhook:RetryAfterSeconds=1", "--Detection:AllowedLateness=00:00:05");
        var lines = File.ReadLines(Incidents.Fixture("perfspec_helm_audit.jsonl")).Take(8000).ToList();
        var batches = lines.Chunk(WebhookClient.BatchSize).Select(WebhookClient.EventList).ToList();
        var clients = Enumerable.Range(0, 6).Select(_ => new WebhookClient(service.BaseAddress) { MaxAttempts = 200 }).ToList();
        await service.WaitReadyAsync(clients[0].Http);

        // The apiserver sends each batch from its own goroutine: several in flight at once.
        await Task.WhenAll(batches.Select((body, i) => clients[i % clients.Count].SendWithRetriesAsync(body)));
        var refused = await MetricsScrape.ValueAsync(clients[0].Http, service.BaseAddress, "auditwatch_batches_refused_total{source=\"webhook\"}");
        var decoded = await MetricsScrape.ValueAsync(clients[0].Http, service.BaseAddress, "auditwatch_events_decoded_total{source=\"webhook\"}");

        Assert.True(clients.Sum(c => c.TooManyRequests) > 0, "no batch was refused; the queue never filled");
        Assert.Equal(clients.Sum(c => c.TooManyRequests), refused);
        Assert.Equal(lines.Count, decoded);
        await AccountingCheck.AssertBalancedAtRestAsync(clients[0].Http, service.BaseAddress);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_refused_batch_carries_retry_after()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--Queue:CapacityEvents=1", "--Webhook:RetryAfterSeconds=7");
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);
        var body = WebhookClient.EventList(File.ReadLines(Incidents.Fixture("perfspec_helm_audit.jsonl")).Take(400));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostAsync(body)));
        var refused = responses.Where(r => r.StatusCode == System.Net.HttpStatusCode.TooManyRequests).ToList();

        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Equal(TimeSpan.FromSeconds(7), r.Headers.RetryAfter?.Delta));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
