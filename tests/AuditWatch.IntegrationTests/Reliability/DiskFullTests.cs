using System.Text;
using System.Text.Json;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Reliability;

/// <summary>
/// The data directory (read positions, first_seen memories, dead letter) on a disk that fills up while a tailed log
/// keeps growing and a sink refuses every alert: detection goes on, each failed write is logged and counted, a
/// notice the dead letter could not take is counted lost, and once space is back every file is written whole again.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private const string Decoded = "auditwatch_events_decoded_total{source=\"file\"}";
    private readonly TmpfsMount _data = TmpfsMount.Create(kilobytes: 512);
    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-diskfull-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _data.Dispose();
    }

    [Fact]
    public async Task A_full_data_disk_stops_no_detection_and_every_lost_write_is_counted()
    {
        var sample = Incidents.Sample("secret-burst.jsonl");
        var lines = File.ReadAllLines(sample);
        var log = Path.Combine(_directory, "audit.log");
        var alerts = Path.Combine(_directory, "alerts.jsonl");
        using var receiver = new RecordingReceiver(Enumerable.Repeat(403, 1000), (_, _) => null);
        using var http = new HttpClient();
        await using var service = AuditWatchProcess.Start(
            _directory,
            https: false,
            $"--Sources:Files:Paths:0={log}",
            "--Sources:Files:PollInterval=00:00:00.05",
            $"--Detection:DataDirectory={_data.Path}",
            $"--Sinks:Webhook:Url={receiver.Url}",
            $"--Sinks:File:Path={alerts}");
        await service.WaitReadyAsync(http);

        _data.Fill();
        var half = lines.Length / 2;
        await File.AppendAllTextAsync(log, string.Concat(lines[..half].Select(l => l + "\n")), Encoding.UTF8);
        await MetricsScrape.WaitForAsync(http, service.BaseAddress, Decoded, half);
        await MetricsScrape.WaitForAsync(http, service.BaseAddress, "auditwatch_sink_alerts_ended_total{sink=\"webhook\",outcome=\"lost\"}", 1);

        // A position is saved once the watermark has passed the lines before it: for the newest lines, once the log
        // has been quiet for the allowed lateness (60 s).
        await MetricsScrape.WaitForAsync(http, service.BaseAddress, "auditwatch_state_write_failures_total{file=\"positions\"}", 1, TimeSpan.FromSeconds(180));
        Assert.True(await MetricsScrape.ValueAsync(http, service.BaseAddress, "auditwatch_state_write_failures_total{file=\"first_seen\"}") > 0);
        Assert.False(service.HasExited);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(service.BaseAddress, "/readyz"))).StatusCode);

        _data.Free();
        await File.AppendAllTextAsync(log, string.Concat(lines[half..].Select(l => l + "\n")), Encoding.UTF8);
        await MetricsScrape.WaitForAsync(http, service.BaseAddress, Decoded, lines.Length);
        await AccountingCheck.AssertBalancedAtRestAsync(http, service.BaseAddress, TimeSpan.FromSeconds(180));
        Assert.Equal(0, await service.StopAsync());

        // Detection saw everything, whatever the disk did.
        Assert.Equal(await Incidents.ReplayAsync(sample), Incidents.Final(service.StdoutLines));
        Assert.Contains("could not be saved", service.Stderr, StringComparison.Ordinal);
        Assert.Contains("the read position of " + log + " is saved again", service.Stderr, StringComparison.Ordinal);
        Assert.Contains("could not be written", service.Stderr, StringComparison.Ordinal);
        Assert.Contains("could not write the dead letter", service.Stderr, StringComparison.Ordinal);
        var accounting = AccountingCheck.AssertBalancedAtStop(service);
        Assert.True(accounting["notices for webhook"]["lost"] > 0);
        Assert.True(accounting["notices for webhook"]["dead-lettered"] > 0, "nothing reached the dead letter once space was back");

        // Written whole once space was back: the dead letter has only complete lines, the positions file is current.
        var deadLetters = File.ReadAllLines(Path.Combine(_data.Path, "dead-letter.jsonl"));
        Assert.NotEmpty(deadLetters);
        Assert.All(deadLetters, line => JsonDocument.Parse(line).Dispose());
        using var positions = JsonDocument.Parse(File.ReadAllText(Path.Combine(_data.Path, "file-positions.json")));
        Assert.Contains(new FileInfo(log).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), positions.RootElement.GetRawText(), StringComparison.Ordinal);
    }
}
