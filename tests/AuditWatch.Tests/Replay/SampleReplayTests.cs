using System.Globalization;
using AuditWatch.Alerting.Formatting;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Tests.Replay;

/// <summary>
/// The project's own samples and the real PerfSPEC capture, replayed as a user would with the default rule pack:
/// every planted incident with the right user and count, nothing else.
/// </summary>
public sealed class SampleReplayTests
{
    private static async Task<IReadOnlyList<Alert>> ReplayAsync(params string[] paths)
    {
        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", .. paths]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("skipped         0", result.Stderr, StringComparison.Ordinal);
        return [.. result.StdoutLines.Select(line => AlertJson.Deserialize(line)!)];
    }

    private static IReadOnlyList<Alert> Final(IReadOnlyList<Alert> alerts) => [.. alerts.GroupBy(a => a.IncidentId).Select(g => g.Last())];

    private static DateTimeOffset At(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("secret-burst.jsonl")]
    [InlineData("eventlist/secret-burst.json")]
    public async Task The_stolen_token_burst_is_raised_with_its_user_count_and_evidence(string sample)
    {
        var incidents = Final(await ReplayAsync(CliRunner.Sample(sample)));

        Assert.All(incidents, i => Assert.Equal("system:serviceaccount:ci:deploy-bot", i.User));
        Assert.Equal(
            ["bound-token-off-pod", "secret-read-burst", "secret-read-scripting-agent", "serviceaccount-reads-foreign-secrets"],
            incidents.Select(i => i.Rule).Order(StringComparer.Ordinal));
        var burst = Assert.Single(incidents, i => i.Rule == "secret-read-burst");
        Assert.Equal(AlertStatus.Resolved, burst.Status);
        Assert.Equal(Severity.High, burst.Severity);
        Assert.Equal(27, burst.Count);
        Assert.Equal(27, burst.DistinctObjects);
        Assert.Equal(new OutcomeCounts(24, 3, 0, 0), burst.Outcomes);
        Assert.Equal(["203.0.113.50"], burst.SourceIps);
        Assert.Equal(["python-requests/2.31.0"], burst.UserAgents);
        Assert.Equal(At("2026-11-02T10:02:00Z"), burst.FirstSeen);
        Assert.Equal(At("2026-11-02T10:03:20Z"), burst.LastSeen);
        Assert.Equal(
            new[] { "billing", "ci", "default", "kube-system", "monitoring", "payments", "vault" },
            burst.Namespaces.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_first_notice_comes_as_soon_as_the_threshold_is_crossed()
    {
        var firing = (await ReplayAsync(CliRunner.Sample("secret-burst.jsonl")))
            .First(a => a.Rule == "secret-read-burst" && a.Status == AlertStatus.Firing);

        Assert.Equal(20, firing.DistinctObjects);
        Assert.True(firing.LastSeen < At("2026-11-02T10:03:20Z"));
    }

    [Theory]
    [InlineData("envelopes/eks-cloudwatch-subscription.jsonl")]
    [InlineData("envelopes/aks-diagnostic-records.jsonl")]
    public async Task Managed_cluster_envelopes_give_the_same_alerts_as_the_raw_log(string envelope)
    {
        var raw = await ReplayAsync(CliRunner.Sample("secret-burst.jsonl"));
        var wrapped = await ReplayAsync(CliRunner.Sample(envelope));

        Assert.Equal(raw.Select(AlertJson.Serialize), wrapped.Select(AlertJson.Serialize));
    }

    [Fact]
    public async Task Gke_cloud_logging_entries_raise_the_burst_with_its_count()
    {
        var burst = Assert.Single(Final(await ReplayAsync(CliRunner.Sample("envelopes/gke-cloud-logging.jsonl"))), i => i.Rule == "secret-read-burst");

        Assert.Equal(("system:serviceaccount:ci:deploy-bot", 27, 27), (burst.User, burst.Count, burst.DistinctObjects));
        Assert.Equal(new OutcomeCounts(24, 3, 0, 0), burst.Outcomes);
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
    public async Task The_cluster_wide_list_is_one_high_alert_for_mallory()
    {
        var incidents = Final(await ReplayAsync(CliRunner.Sample("cluster-wide-list.jsonl")));

        var list = Assert.Single(incidents, i => i.Rule == "secret-list-cluster-wide");
        Assert.Equal("mallory@example.com", list.User);
        Assert.Equal(1, list.Count);
        Assert.Equal(Severity.High, list.Severity);
        Assert.Equal(["*"], list.Objects);
        Assert.All(incidents, i => Assert.Equal("mallory@example.com", i.User));
    }

    [Fact]
    public async Task Impersonation_names_the_real_user_and_the_impersonated_one()
    {
        var incidents = Final(await ReplayAsync(CliRunner.Sample("impersonation.jsonl")));

        var alert = Assert.Single(incidents, i => i.Rule == "impersonated-secret-read");
        Assert.Equal("eve@example.com", alert.User);
        Assert.Equal("system:serviceaccount:kube-system:clusterrole-aggregation-controller", alert.ImpersonatedUser);
        Assert.Equal(12, alert.DistinctObjects);
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Contains("eve@example.com (as system:serviceaccount:kube-system:clusterrole-aggregation-controller)", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_benign_hour_raises_nothing()
    {
        Assert.Empty(await ReplayAsync(CliRunner.Sample("benign-hour.jsonl")));
    }

    [Fact]
    public async Task The_real_PerfSPEC_capture_raises_no_high_or_critical_alert()
    {
        var alerts = await ReplayAsync(CliRunner.Fixture("perfspec_helm_audit.jsonl"));

        Assert.DoesNotContain(alerts, a => a.Severity >= Severity.High);
        // Helm's existence checks (18 gets answered 404) look like probing when the log has no user agent.
        var probing = Assert.Single(Final(alerts));
        Assert.Equal(("secret-read-probing", "kubernetes-admin", 18), (probing.Rule, probing.User, probing.Count));
    }
}
