using System.Text;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Files;

/// <summary>
/// Tailing the apiserver's log file: a partial line waits until complete, rotation by rename is followed, and a
/// restart (with more writes and another rotation while down) neither loses nor repeats an event.
/// </summary>
public sealed class FileTailTests : IDisposable
{
    private const string Decoded = "auditwatch_events_decoded_total{source=\"file\"}";
    private const string Rejected = "auditwatch_events_rejected_total{source=\"file\",reason=\"Truncated\"}";
    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-tail-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Log => Path.Combine(_directory, "audit.log");

    private AuditWatchProcess Start(params string[] settings) =>
        AuditWatchProcess.Start(_directory, https: false, [$"--Sources:Files:Paths:0={Log}", "--Sources:Files:PollInterval=00:00:00.05", .. settings]);

    [Fact]
    public async Task Rotation_and_restart_lose_and_repeat_nothing()
    {
        var lines = File.ReadAllLines(Incidents.Sample("secret-burst.jsonl"));
        using var http = new HttpClient();

        // Run 1: 150 lines and half of the next; then the rest, a rotation by rename, and a fresh file.
        await Append(Log, lines[..150]);
        await AppendRaw(Log, lines[150][..40]);
        var first = Start();
        await first.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, first.BaseAddress, Decoded, 150);
        await Task.Delay(300);
        Assert.Equal(150, await MetricsScrape.ValueAsync(http, first.BaseAddress, Decoded));
        await AppendRaw(Log, lines[150][40..] + "\n");
        await Append(Log, lines[151..250]);
        File.Move(Log, Path.Combine(_directory, "audit-2026-11-02T10-05-00.000.log"));
        await Append(Log, lines[250..300]);
        await MetricsScrape.WaitForAsync(http, first.BaseAddress, Decoded, 300);
        var firstDecoded = await MetricsScrape.ValueAsync(http, first.BaseAddress, Decoded);
        Assert.Equal(0, await MetricsScrape.ValueAsync(http, first.BaseAddress, Rejected));
        Assert.Equal(0, await first.StopAsync());
        await first.DisposeAsync();

        // While down: more lines, another rotation, a new file.
        await Append(Log, lines[300..320]);
        File.Move(Log, Path.Combine(_directory, "audit-2026-11-02T10-08-00.000.log"));
        await Append(Log, lines[320..]);

        // Run 2 resumes exactly where run 1 stopped.
        await using var second = Start();
        await second.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, second.BaseAddress, Decoded, lines.Length - 300);
        await Task.Delay(500);
        var secondDecoded = await MetricsScrape.ValueAsync(http, second.BaseAddress, Decoded);
        await second.StopAsync();

        Assert.Equal(300, firstDecoded);
        Assert.Equal(lines.Length - 300, secondDecoded);
    }

    [Fact]
    public async Task A_tailed_log_raises_the_same_alerts_as_replay()
    {
        var sample = Incidents.Sample("impersonation.jsonl");
        using var http = new HttpClient();
        await using var service = Start();
        await service.WaitReadyAsync(http);

        var lines = File.ReadAllLines(sample);
        foreach (var chunk in lines.Chunk(10))
        {
            await Append(Log, chunk);
            await Task.Delay(20);
        }

        await MetricsScrape.WaitForAsync(http, service.BaseAddress, Decoded, lines.Length);
        await service.StopAsync();

        Assert.Equal(await Incidents.ReplayAsync(sample), Incidents.Final(service.StdoutLines));
    }

    [Fact]
    public async Task A_backlog_read_through_a_small_queue_arrives_whole_and_is_not_read_again()
    {
        // The PerfSPEC capture is 8 MB of events of about 490 B: each 1 MB chunk goes to detection as two or three
        // batches, and with room for 1,500 events the tailer waits for detection on nearly every chunk.
        var capture = Incidents.Fixture("perfspec_helm_audit.jsonl");
        var events = File.ReadLines(capture).Count(l => l.Length > 0);
        File.Copy(capture, Log);
        using var http = new HttpClient();

        var first = Start("--Queue:CapacityEvents=1500");
        await first.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, first.BaseAddress, Decoded, events);
        var waits = await MetricsScrape.ValueAsync(http, first.BaseAddress, "auditwatch_batches_refused_total{source=\"file\"}");
        Assert.Equal(0, await first.StopAsync());
        var accounting = AccountingCheck.AssertBalancedAtStop(first);
        await first.DisposeAsync();

        await using var second = Start("--Queue:CapacityEvents=1500");
        await second.WaitReadyAsync(http);
        await Task.Delay(1000);
        var decodedAgain = await MetricsScrape.ValueAsync(http, second.BaseAddress, Decoded);

        Assert.True(waits > 0, "the queue never made the tailer wait");
        Assert.Equal(events, accounting["events received"]["decoded"]);
        Assert.Equal(0, decodedAgain);
    }

    private static Task Append(string path, IEnumerable<string> lines) =>
        File.AppendAllTextAsync(path, string.Concat(lines.Select(l => l + "\n")), Encoding.UTF8);

    private static Task AppendRaw(string path, string text) => File.AppendAllTextAsync(path, text, Encoding.UTF8);
}
