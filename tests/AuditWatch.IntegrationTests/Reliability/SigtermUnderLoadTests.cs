using System.Net;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Reliability;

/// <summary>
/// SIGTERM while several apiserver-like clients are still sending: every batch answered 2xx went through detection
/// before the process exited, and the service's own accounting balances with nothing left in flight.
/// </summary>
public sealed class SigtermUnderLoadTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-sigterm-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task Everything_acknowledged_before_sigterm_is_detected_and_accounted_for()
    {
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--Queue:CapacityEvents=2000", "--Shutdown:Timeout=00:05:00");
        var lines = File.ReadLines(Incidents.Fixture("perfspec_helm_audit.jsonl")).ToList();
        var batches = new Queue<string[]>(lines.Chunk(WebhookClient.BatchSize));
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await service.WaitReadyAsync(http);

        long acknowledged = 0, unknown = 0;
        var gate = new Lock();
        var sent = 0;
        async Task SendUntilStoppedAsync()
        {
            while (true)
            {
                string[] batch;
                lock (gate)
                {
                    if (service.HasExited || !batches.TryDequeue(out batch!))
                    {
                        return;
                    }
                }

                try
                {
                    using var response = await http.PostAsync("/audit", new StringContent(WebhookClient.EventList(batch), System.Text.Encoding.UTF8, "application/json"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Add(ref acknowledged, batch.Length);
                    }

                    Interlocked.Increment(ref sent);
                }
                catch (HttpRequestException)
                {
                    // Refused or cut off during shutdown: the apiserver would retry it elsewhere; never counted as acknowledged.
                    Interlocked.Add(ref unknown, batch.Length);
                    return;
                }
            }
        }

        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(SendUntilStoppedAsync)).ToList();
        while (Volatile.Read(ref sent) < 20)
        {
            await Task.Delay(10);
        }

        var exitCode = await service.StopAsync();
        await Task.WhenAll(senders);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{service.Stderr}");
        var accounting = AccountingCheck.AssertBalancedAtStop(service);
        var decoded = accounting["events received"]["decoded"];
        var detection = accounting["events to detection"];
        Assert.True(acknowledged > 0, "nothing was acknowledged before the stop");
        Assert.True(batches.Count > 0, "every batch was sent before SIGTERM: the stop did not happen under load");
        Assert.InRange(decoded, acknowledged, acknowledged + unknown);
        Assert.Equal(0, detection["queued"]);
        Assert.Equal(decoded, detection["requests"] + detection["request_received"] + detection["later stages"] + detection["redeliveries"]);
    }
}
