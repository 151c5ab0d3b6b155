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
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await service.WaitReadyAsync(http);

        // An endless stream, as from a busy apiserver: the recorded log again and again, each round with new audit IDs.
        var next = 0L;
        string[] Batch()
        {
            var n = Interlocked.Increment(ref next) - 1;
            var start = (int)(n * WebhookClient.BatchSize % lines.Count);
            var round = n * WebhookClient.BatchSize / lines.Count;
            return [.. lines.Skip(start).Take(WebhookClient.BatchSize).Select(l => l.Replace("\"auditID\":\"", $"\"auditID\":\"r{round}-", StringComparison.Ordinal))];
        }

        long acknowledged = 0, unknown = 0, sent = 0, refusedAfterStop = 0;
        var stopping = false;
        async Task SendUntilGoneAsync()
        {
            var batch = Batch();
            while (true)
            {
                try
                {
                    using var response = await http.PostAsync("/audit", new StringContent(WebhookClient.EventList(batch), System.Text.Encoding.UTF8, "application/json"));
                    Interlocked.Increment(ref sent);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Add(ref acknowledged, batch.Length);
                        batch = Batch();
                    }
                    else if (Volatile.Read(ref stopping))
                    {
                        // Refused while stopping: the apiserver keeps it and sends it elsewhere later.
                        Interlocked.Increment(ref refusedAfterStop);
                        await Task.Delay(50);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Refused or cut off during shutdown: never counted as acknowledged.
                    Interlocked.Add(ref unknown, batch.Length);
                    return;
                }
            }
        }

        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(SendUntilGoneAsync)).ToList();
        while (Volatile.Read(ref sent) < 20)
        {
            await Task.Delay(10);
        }

        Volatile.Write(ref stopping, true);
        var exitCode = await service.StopAsync();
        await Task.WhenAll(senders);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{service.Stderr}");
        var accounting = AccountingCheck.AssertBalancedAtStop(service);
        var decoded = accounting["events received"]["decoded"];
        var detection = accounting["events to detection"];
        Assert.True(acknowledged > 0, "nothing was acknowledged before the stop");
        Assert.True(unknown + refusedAfterStop > 0, "no request met the stopping service: the stop did not happen under load");
        Assert.InRange(decoded, acknowledged, acknowledged + unknown);
        Assert.Equal(0, detection["queued"]);
        Assert.Equal(decoded, detection["requests"] + detection["request_received"] + detection["later stages"] + detection["redeliveries"]);
    }
}
