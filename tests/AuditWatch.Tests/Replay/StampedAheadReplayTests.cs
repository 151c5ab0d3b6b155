using AuditWatch.Alerting.Formatting;
using AuditWatch.Core.Alerts;
using AuditWatch.TestSupport;

namespace AuditWatch.Tests.Replay;

/// <summary>
/// A recorded log holding one request stamped decades ahead (a control-plane node with a broken clock, or a corrupted
/// line) in the middle of a credential-theft burst. Replay has no clock to judge it by; taken as the recording's time, it
/// would make the rest of the burst late, and an admin testing rules on the recording would see the burst rules silent.
/// </summary>
public sealed class StampedAheadReplayTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-replay-skew-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_request_stamped_decades_ahead_mid_burst_costs_no_alert_and_the_summary_names_it()
    {
        var sample = CliRunner.Sample("secret-burst.jsonl");
        var skewed = await BrokenClockRecording.WriteAsync(sample, _directory);

        var clean = await CliRunner.RunAsync(["replay", "--output", "jsonl", sample]);
        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", skewed]);

        Assert.Equal(0, result.ExitCode);
        var incidents = Final(result);
        Assert.Equal(Final(clean).Select(Describe), incidents.Where(i => i.Rule != "anonymous-secret-access").Select(Describe));
        var anonymous = Assert.Single(incidents, i => i.Rule == "anonymous-secret-access");
        Assert.Contains(BrokenClockRecording.AuditId, anonymous.AuditIds);
        Assert.True(anonymous.FirstSeen.Year == 2026, $"judged at {anonymous.FirstSeen:o}, not at the recording's time");
        Assert.Contains("late events     0", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("stamped ahead   1 ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"audit ID {BrokenClockRecording.AuditId} by system:anonymous at 2100-01-01T00:00:00", result.Stderr, StringComparison.Ordinal);
    }

    private static List<Alert> Final(CliRunner.Result result) =>
        [.. result.StdoutLines.Select(line => AlertJson.Deserialize(line)!).GroupBy(a => a.IncidentId).Select(g => g.Last()).OrderBy(a => a.Rule, StringComparer.Ordinal)];

    private static string Describe(Alert incident) =>
        $"{incident.Rule} {incident.User} {incident.Count} {incident.FirstSeen:o} {incident.LastSeen:o} {incident.Status}";
}
