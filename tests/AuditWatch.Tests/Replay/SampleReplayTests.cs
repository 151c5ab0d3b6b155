using AuditWatch.Alerting.Formatting;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Tests.Replay;

/// <summary>The project's own samples, replayed as a user would: the planted incidents, and a quiet benign hour.</summary>
public sealed class SampleReplayTests
{
    private static async Task<IReadOnlyList<Alert>> ReplayAsync(params string[] paths)
    {
        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", .. paths]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("skipped         0", result.Stderr, StringComparison.Ordinal);
        return [.. result.StdoutLines.Select(line => AlertJson.Deserialize(line)!)];
    }

    [Theory]
    [InlineData("secret-burst.jsonl")]
    [InlineData("eventlist/secret-burst.json")]
    public async Task The_planted_burst_raises_one_alert_naming_the_stolen_service_account(string sample)
    {
        var alerts = await ReplayAsync(CliRunner.Sample(sample));

        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], alerts.Select(a => a.Status));
        var (firing, resolved) = (alerts[0], alerts[1]);
        Assert.Equal("system:serviceaccount:ci:deploy-bot", firing.User);
        Assert.Equal(["203.0.113.50"], firing.SourceIps);
        Assert.Equal(["python-requests/2.31.0"], firing.UserAgents);
        Assert.Equal(10, firing.DistinctObjects);
        Assert.Equal(firing.IncidentId, resolved.IncidentId);
        Assert.Equal(27, resolved.Count);
        Assert.Equal(27, resolved.DistinctObjects);
        Assert.Equal(new OutcomeCounts(24, 3, 0, 0), resolved.Outcomes);
        Assert.Equal(
            new[] { "billing", "ci", "default", "kube-system", "monitoring", "payments", "vault" },
            resolved.Namespaces.Order(StringComparer.Ordinal));
        Assert.Equal(DateTimeOffset.Parse("2026-11-02T10:02:00Z", System.Globalization.CultureInfo.InvariantCulture), resolved.FirstSeen);
        Assert.Equal(DateTimeOffset.Parse("2026-11-02T10:03:20Z", System.Globalization.CultureInfo.InvariantCulture), resolved.LastSeen);
    }

    [Fact]
    public async Task Json_lines_and_event_list_give_identical_alerts()
    {
        var lines = await ReplayAsync(CliRunner.Sample("secret-burst.jsonl"));
        var list = await ReplayAsync(CliRunner.Sample("eventlist/secret-burst.json"));

        Assert.Equal(lines.Select(AlertJson.Serialize), list.Select(AlertJson.Serialize));
    }

    [Fact]
    public async Task A_gzipped_log_gives_the_same_alerts_as_the_plain_one()
    {
        var gz = Path.Combine(Path.GetTempPath(), $"auditwatch-{Guid.NewGuid():N}.log.gz");
        await using (var output = File.Create(gz))
        await using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        await using (var input = File.OpenRead(CliRunner.Sample("secret-burst.jsonl")))
        {
            await input.CopyToAsync(gzip);
        }

        try
        {
            var plain = await ReplayAsync(CliRunner.Sample("secret-burst.jsonl"));
            var compressed = await ReplayAsync(gz);

            Assert.Equal(plain.Select(AlertJson.Serialize), compressed.Select(AlertJson.Serialize));
        }
        finally
        {
            File.Delete(gz);
        }
    }

    [Fact]
    public async Task Impersonation_names_the_real_user_and_the_impersonated_one()
    {
        var alert = Assert.Single(await ReplayAsync(CliRunner.Sample("impersonation.jsonl")), a => a.Status == AlertStatus.Resolved);

        Assert.Equal("eve@example.com", alert.User);
        Assert.Equal("system:serviceaccount:kube-system:clusterrole-aggregation-controller", alert.ImpersonatedUser);
        Assert.Equal(12, alert.DistinctObjects);
        Assert.Contains("eve@example.com (as system:serviceaccount:kube-system:clusterrole-aggregation-controller)", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_benign_hour_raises_nothing()
    {
        Assert.Empty(await ReplayAsync(CliRunner.Sample("benign-hour.jsonl")));
    }
}
