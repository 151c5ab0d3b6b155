using System.Text.Json;

namespace AuditWatch.Tests.Rules;

/// <summary>rules validate, rules test, rules explain, tune and replay on Sigma rules, through the real executable.</summary>
public sealed class SigmaCliTests : IDisposable
{
    private const string ExecRuleId = "a1b0ca4e-7835-413e-8471-3ff2b8a66be6";
    private const string DiscoveryCorrelationId = "0e9ad59f-e962-4e5c-b0b9-bfa1ad5aac18";

    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-sigma-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Rules => Path.Combine(AppContext.BaseDirectory, "rules");

    /// <summary>A copy of the bundled pack to change.</summary>
    private string CopyOfRules()
    {
        var copy = Path.Combine(_directory, "rules");
        foreach (var file in Directory.GetFiles(Rules, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Rules, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    private const string SecretGet = """
        title: Secret read
        id: 9d1f0c1e-0000-4000-8000-000000000001
        logsource: { product: kubernetes, service: audit }
        detection:
            selection:
                verb: get
                objectRef.resource: secrets
            condition: selection
        level: low
        """;

    [Fact]
    public async Task Replay_of_the_permission_discovery_sample_raises_the_SigmaHQ_and_correlation_alerts()
    {
        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", "--rules", Rules, CliRunner.Sample("permission-discovery.jsonl")]);

        Assert.Equal(0, result.ExitCode);
        var firing = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(a => a.GetProperty("status").GetString() == "firing")
            .ToDictionary(a => a.GetProperty("rule").GetString()!);
        var discovery = firing[DiscoveryCorrelationId];
        Assert.Equal("high", discovery.GetProperty("severity").GetString());
        Assert.Equal("system:serviceaccount:default:web", discovery.GetProperty("user").GetString());
        Assert.Contains("RBAC Permission Enumeration Followed By Secrets Enumeration", discovery.GetProperty("summary").GetString()!, StringComparison.Ordinal);
        var exec = firing[ExecRuleId];
        Assert.Contains("Potential Remote Command Execution In Pod Container", exec.GetProperty("summary").GetString()!, StringComparison.Ordinal);

        // The Detection Rule License asks every message based on a SigmaHQ rule's match to name its author.
        Assert.Contains("Sigma rule by Leo Tsaousis (@laripping).", exec.GetProperty("summary").GetString()!, StringComparison.Ordinal);
        Assert.Equal("Leo Tsaousis (@laripping)", exec.GetProperty("labels").GetProperty("author").GetString());

        // The SigmaHQ rules the correlation names do not alert on their own.
        Assert.DoesNotContain("eeb3e9e1-b685-44e4-9232-6bb701f925b5", firing.Keys);
        Assert.DoesNotContain("84b777bd-c946-4d17-aa2e-c39f5a454325", firing.Keys);
    }

    [Fact]
    public async Task Validate_reports_Sigma_errors_with_file_line_and_construct()
    {
        var sigma = Directory.CreateDirectory(Path.Combine(_directory, "sigma")).FullName;
        var path = Path.Combine(sigma, "broken.yml");
        await File.WriteAllTextAsync(path, SecretGet.Replace("verb: get", "verb|base64offset: get", StringComparison.Ordinal)
            .Replace("condition: selection", "condition: selection | count() > 5", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync(["rules", "validate", _directory]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{path}:6:9: 'verb|base64offset': modifier 'base64offset' is not supported", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}:8:26: condition: the aggregation '| …' is Sigma's deprecated syntax", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_runs_the_cases_of_Sigma_rules_and_their_test_files_and_fails_a_wrong_one()
    {
        var sigma = Directory.CreateDirectory(Path.Combine(_directory, "sigma", "tests")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(sigma, "secret_get.yml"), SecretGet);
        var tests = """
            rule: 9d1f0c1e-0000-4000-8000-000000000001
            tests:
              - name: one read alerts
                events:
                  - { user: eve, secret: "ns/a" }
                expect:
                  - { user: eve, count: 1, severity: low }
            """;
        await File.WriteAllTextAsync(Path.Combine(sigma, "tests", "secret_get.yaml"), tests);
        var passing = await CliRunner.RunAsync(["rules", "test", _directory]);
        await File.WriteAllTextAsync(Path.Combine(sigma, "tests", "secret_get.yaml"), tests.Replace("severity: low", "severity: high", StringComparison.Ordinal));
        var failing = await CliRunner.RunAsync(["rules", "test", _directory]);

        Assert.Equal(0, passing.ExitCode);
        Assert.Contains("PASS 9d1f0c1e-0000-4000-8000-000000000001: one read alerts", passing.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("FAIL 9d1f0c1e-0000-4000-8000-000000000001: one read alerts", failing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_shows_the_Sigma_selections_with_the_request_values()
    {
        var exec = File.ReadLines(CliRunner.Sample("permission-discovery.jsonl")).Single(l => l.Contains("/exec?", StringComparison.Ordinal));
        var logs = exec.Replace("\"subresource\":\"exec\"", "\"subresource\":\"log\"", StringComparison.Ordinal);
        var file = Path.Combine(_directory, "events.jsonl");
        await File.WriteAllLinesAsync(file, [exec, logs]);

        var result = await CliRunner.RunAsync(["rules", "explain", ExecRuleId, "--event", file, "--rules", Rules]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"MATCHES {ExecRuleId} (match): create /api/v1/namespaces/payments/pods/payments-api-5d8f7c6b9-k2x9p/exec", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ selection:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ subresource = 'exec'   (subresource = 'exec')", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"does not match {ExecRuleId}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("✗ subresource = 'exec'   (subresource = 'log')", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_measures_Sigma_rules_and_its_suggested_filter_silences_the_identity_when_pasted()
    {
        var rules = CopyOfRules();
        var tune = await CliRunner.RunAsync(["tune", "--rules", rules, "--output", "json", CliRunner.Sample("permission-discovery.jsonl")]);

        Assert.Equal(0, tune.ExitCode);
        using var report = JsonDocument.Parse(tune.Stdout);
        var exec = report.RootElement.EnumerateArray().Single(r => r.GetProperty("rule").GetString() == ExecRuleId);
        Assert.Equal("sigma", exec.GetProperty("format").GetString());
        Assert.Equal(1, exec.GetProperty("incidents").GetInt32());
        var filter = exec.GetProperty("candidateExclusions")[0].GetString()!;
        Assert.Contains("filter_tuned_1:", filter, StringComparison.Ordinal);
        Assert.Contains("    user.username: \"system:serviceaccount:default:web\"", filter, StringComparison.Ordinal);
        Assert.Contains("    user.pod|startswith: \"web-\"", filter, StringComparison.Ordinal);

        // Paste it as the comment in the suggestion says, and the incident goes away.
        var path = Path.Combine(rules, "sigma", "kubernetes_audit_exec_into_container.yml");
        var rule = await File.ReadAllTextAsync(path);
        var selection = string.Join("\n", filter.Split('\n').Where(l => !l.StartsWith('#')).Select(l => "    " + l));
        await File.WriteAllTextAsync(path, rule.Replace("    condition: selection", selection + "\n    condition: selection and not filter_tuned_1", StringComparison.Ordinal));
        var diff = await CliRunner.RunAsync(["rules", "diff", Rules, rules, CliRunner.Sample("permission-discovery.jsonl")]);

        Assert.Equal(0, diff.ExitCode);
        Assert.Contains($"- {ExecRuleId} [medium] system:serviceaccount:default:web", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 incident(s) appear, 1 disappear", diff.Stdout, StringComparison.Ordinal);
    }
}
