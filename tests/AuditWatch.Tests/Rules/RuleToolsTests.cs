using System.Text.Json;

namespace AuditWatch.Tests.Rules;

/// <summary>tune, rules explain and rules diff on the real PerfSPEC capture and the project's attack samples.</summary>
public sealed class RuleToolsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-tools-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Rules => Path.Combine(AppContext.BaseDirectory, "rules");

    [Fact]
    public async Task Tune_reports_incidents_distributions_a_threshold_and_composite_exclusions()
    {
        var result = await CliRunner.RunAsync(["tune", "--rules", Rules, "--output", "json", "--budget", "5", CliRunner.Fixture("perfspec_helm_audit.jsonl"), CliRunner.Sample("secret-burst.jsonl")]);

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Stdout);
        var rules = report.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!);
        var burst = rules["secret-read-burst"];
        Assert.Equal(1, burst.GetProperty("incidents").GetInt32());
        Assert.Equal("system:serviceaccount:ci:deploy-bot", burst.GetProperty("topIdentities")[0].GetProperty("user").GetString());
        var measured = burst.GetProperty("measured");
        Assert.Equal(27, measured.GetProperty("max").GetDouble());
        Assert.True(measured.GetProperty("p50").GetDouble() <= measured.GetProperty("p90").GetDouble());
        Assert.True(burst.GetProperty("suggestedThreshold").GetInt32() > 1);
        var exclusion = burst.GetProperty("candidateExclusions")[0].GetString()!;
        Assert.Contains("{ field: user, equals: \"system:serviceaccount:ci:deploy-bot\" }", exclusion, StringComparison.Ordinal);
        Assert.Contains("{ field: user_agent.product, equals: \"python-requests\" }", exclusion, StringComparison.Ordinal);

        // Helm's existence checks in PerfSPEC: the identity shares no other evidence, so nothing is suggested for it.
        Assert.Contains("no exclusion is suggested", rules["secret-read-probing"].GetProperty("candidateExclusions")[0].GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_shows_progress_on_a_terminal_and_keeps_it_out_of_the_report()
    {
        var (terminal, report) = await CliRunner.RunOnTerminalAsync(
            ["tune", "--rules", Rules, CliRunner.Fixture("perfspec_helm_audit.jsonl"), CliRunner.Sample("secret-burst.jsonl")],
            Path.Combine(_directory, "report.txt"));

        var frames = terminal.Split('\r').Select(f => f.Trim()).Where(f => f.Length > 0).ToList();
        Assert.Contains(frames, f => f.StartsWith("reading ", StringComparison.Ordinal) && f.EndsWith("events", StringComparison.Ordinal));
        var ruleCount = AuditWatch.Rules.Loading.RuleSetLoader.Load(Rules).Rules.Count;
        Assert.Contains($"[##############################] 100 % {ruleCount}/{ruleCount} rules", terminal, StringComparison.Ordinal);
        Assert.DoesNotContain("tuning", report, StringComparison.Ordinal);
        Assert.StartsWith("== ", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_reads_the_budget_per_day_and_names_a_bad_one()
    {
        var perDay = await CliRunner.RunAsync(["tune", "--rules", Rules, "--output", "json", "--budget", "1-per-day", CliRunner.Sample("secret-burst.jsonl")]);
        var plain = await CliRunner.RunAsync(["tune", "--rules", Rules, "--output", "json", "--budget", "1", CliRunner.Sample("secret-burst.jsonl")]);
        var bad = await CliRunner.RunAsync(["tune", "--rules", Rules, "--budget", "lots", CliRunner.Sample("secret-burst.jsonl")]);

        Assert.Equal(0, perDay.ExitCode);
        Assert.Equal(plain.Stdout, perDay.Stdout);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--budget 'lots' is not a positive number of alerts per day", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggested_exclusions_work_when_pasted_into_the_rule()
    {
        var tune = await CliRunner.RunAsync(["tune", "--rules", Rules, "--output", "json", CliRunner.Sample("secret-burst.jsonl")]);
        using var report = JsonDocument.Parse(tune.Stdout);
        var exclusion = report.RootElement.EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "secret-read-burst")
            .GetProperty("candidateExclusions")[0].GetString()!;
        var tuned = Path.Combine(_directory, "rules");
        Directory.CreateDirectory(tuned);
        foreach (var file in Directory.GetFiles(Rules, "*.yaml"))
        {
            File.Copy(file, Path.Combine(tuned, Path.GetFileName(file)));
        }

        var rule = await File.ReadAllTextAsync(Path.Combine(Rules, "secret-read-burst.yaml"));
        var indented = string.Join("\n", exclusion.Split('\n').Select(l => "  " + l));
        File.Delete(Path.Combine(tuned, "secret-read-burst.yaml"));
        await File.WriteAllTextAsync(Path.Combine(tuned, "secret-read-burst.yaml"), rule.Replace("except:\n", "except:\n" + indented + "\n", StringComparison.Ordinal));

        var diff = await CliRunner.RunAsync(["rules", "diff", Rules, tuned, CliRunner.Sample("secret-burst.jsonl")]);

        Assert.Equal(0, diff.ExitCode);
        Assert.Contains("- secret-read-burst [high] system:serviceaccount:ci:deploy-bot: 27 requests, 27 distinct", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 incident(s) appear, 1 disappear", diff.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_shows_each_condition_with_the_request_values()
    {
        var read = File.ReadLines(CliRunner.Sample("cluster-wide-list.jsonl")).Single(l => l.Contains("mallory@example.com", StringComparison.Ordinal));
        var helm = read.Replace("/api/v1/secrets\"", "/api/v1/secrets?limit=500&resourceVersion=0\"", StringComparison.Ordinal).Replace("mallory@example.com", "system:kube-controller-manager", StringComparison.Ordinal).Replace("curl/8.5.0", "kube-controller-manager/v1.31.0", StringComparison.Ordinal);
        var file = Path.Combine(_directory, "events.jsonl");
        await File.WriteAllLinesAsync(file, [read, helm]);

        var result = await CliRunner.RunAsync(["rules", "explain", "secret-list-cluster-wide", "--event", file, "--rules", Rules]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("MATCHES secret-list-cluster-wide (match): list /api/v1/secrets by mallory@example.com", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ secret.scope equals cluster   (secret.scope = 'cluster')", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("does not match secret-list-cluster-wide (match): list /api/v1/secrets?limit=500&resourceVersion=0 by system:kube-controller-manager", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ user_agent.product in [kube-apiserver, kube-controller-manager]   (user_agent.product = 'kube-controller-manager')", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_shows_why_real_PerfSPEC_reads_are_left_out_or_counted()
    {
        var perfspec = File.ReadLines(CliRunner.Fixture("perfspec_helm_audit.jsonl")).ToList();
        var kubelet = Path.Combine(_directory, "kubelet.jsonl");
        await File.WriteAllLinesAsync(kubelet, [perfspec.First(l => l.Contains("\"system:node:", StringComparison.Ordinal) && l.Contains("\"resource\":\"secrets\"", StringComparison.Ordinal))]);
        var helm = Path.Combine(_directory, "helm.jsonl");
        await File.WriteAllLinesAsync(helm, [perfspec.First(l => l.Contains("\"kubernetes-admin\"", StringComparison.Ordinal) && l.Contains("\"resource\":\"secrets\"", StringComparison.Ordinal) && l.Contains("\"code\":404", StringComparison.Ordinal))]);

        var burst = await CliRunner.RunAsync(["rules", "explain", "secret-read-burst", "--event", kubelet, "--rules", Rules]);
        var probing = await CliRunner.RunAsync(["rules", "explain", "secret-read-probing", "--event", helm, "--rules", Rules]);

        Assert.Equal(0, burst.ExitCode);
        Assert.StartsWith("does not match secret-read-burst (distinct): watch /api/v1/namespaces/gatekeeper-system/secrets?", burst.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ user.kind equals node   (user.kind = 'node')", burst.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("MATCHES secret-read-probing (threshold): get ", probing.Stdout, StringComparison.Ordinal);
        Assert.Contains("✗ user_agent.product in [Helm, helm]   (user_agent.product = (none))", probing.Stdout, StringComparison.Ordinal);
        Assert.Contains("counts toward group user='kubernetes-admin', threshold 10 for a human", probing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_on_PerfSPEC_and_the_attack_sample_shows_only_the_incident_a_threshold_change_removes()
    {
        var raised = Path.Combine(_directory, "raised");
        Directory.CreateDirectory(raised);
        foreach (var file in Directory.GetFiles(Rules, "*.yaml"))
        {
            var text = await File.ReadAllTextAsync(file);
            await File.WriteAllTextAsync(
                Path.Combine(raised, Path.GetFileName(file)),
                Path.GetFileName(file) == "secret-read-probing.yaml" ? text.Replace("  default: 10\n", "  default: 20\n", StringComparison.Ordinal) : text);
        }

        var diff = await CliRunner.RunAsync(["rules", "diff", Rules, raised, CliRunner.Fixture("perfspec_helm_audit.jsonl"), CliRunner.Sample("secret-burst.jsonl")]);

        Assert.Equal(0, diff.ExitCode);
        Assert.Equal(
            [
                "- secret-read-probing [medium] kubernetes-admin: 18 requests, 10 distinct, 2023-01-27 18:28:54Z .. 2023-01-27 18:31:55Z",
                "0 incident(s) appear, 1 disappear, 0 change, 6 unchanged",
            ],
            diff.StdoutLines);
    }

    [Fact]
    public async Task Diff_refuses_an_invalid_rule_set_with_its_errors()
    {
        var broken = Path.Combine(_directory, "broken");
        Directory.CreateDirectory(broken);
        await File.WriteAllTextAsync(Path.Combine(broken, "bad.yaml"), "id: bad\nkind: distinct\nseverity: urgent\n");

        var diff = await CliRunner.RunAsync(["rules", "diff", Rules, broken, CliRunner.Sample("secret-burst.jsonl")]);

        Assert.Equal(2, diff.ExitCode);
        Assert.Contains("bad.yaml:3:", diff.Stderr, StringComparison.Ordinal);
        Assert.Empty(diff.Stdout);
    }

    [Fact]
    public async Task Explain_names_an_unknown_rule()
    {
        var result = await CliRunner.RunAsync(["rules", "explain", "no-such-rule", "--event", CliRunner.Sample("cluster-wide-list.jsonl"), "--rules", Rules]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no rule 'no-such-rule'", result.Stderr, StringComparison.Ordinal);
    }
}
