namespace AuditWatch.Tests.Rules;

public sealed class RulesCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-rules-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Rule = """
        id: burst
        title: Burst
        severity: medium
        kind: distinct
        where: { field: secret.read, equals: true }
        count_distinct: secret.object
        window: 5m
        threshold: 3
        tests:
          - name: three distinct fire
            events:
              - { user: eve, secret: "ns/s-{i}", repeat: 3 }
            expect:
              - { user: eve, count: 3 }
        """;

    [Fact]
    public async Task Validate_accepts_the_bundled_pack()
    {
        var result = await CliRunner.RunAsync(["rules", "validate", Path.Combine(AppContext.BaseDirectory, "rules")]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+ rules \(\d+ enabled\), \d+ lists, \d+ files: valid\.", result.Stdout);
    }

    [Fact]
    public async Task Validate_reports_every_error_with_its_place_and_exits_2()
    {
        var path = Path.Combine(_directory, "broken.yaml");
        await File.WriteAllTextAsync(path, Rule.Replace("window: 5m", "window: soon", StringComparison.Ordinal).Replace("severity: medium", "severity: dire", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync(["rules", "validate", _directory]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{path}:3:11: severity must be one of", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}:7:9: window must be a positive duration", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_passes_and_fails_like_a_test_runner()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "burst.yaml"), Rule);
        var passing = await CliRunner.RunAsync(["rules", "test", _directory]);
        await File.WriteAllTextAsync(Path.Combine(_directory, "burst.yaml"), Rule.Replace("count: 3", "count: 4", StringComparison.Ordinal));
        var failing = await CliRunner.RunAsync(["rules", "test", _directory]);

        Assert.Equal(0, passing.ExitCode);
        Assert.Contains("PASS burst: three distinct fire", passing.Stdout, StringComparison.Ordinal);
        Assert.Contains("rules: 1 passed, 0 failed", passing.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("FAIL burst: three distinct fire", failing.Stdout, StringComparison.Ordinal);
        Assert.Contains("expected an incident with user eve, count 4", failing.Stdout, StringComparison.Ordinal);
        Assert.Contains("rules: 0 passed, 1 failed", failing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_refuses_invalid_rules_with_exit_2()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "broken.yaml"), "id: x\n");

        var result = await CliRunner.RunAsync(["replay", "--rules", _directory, CliRunner.Sample("secret-burst.jsonl")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a rule needs 'title'", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Replay_uses_the_rules_it_is_given()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "burst.yaml"), Rule);

        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", "--rules", _directory, CliRunner.Sample("secret-burst.jsonl")]);

        Assert.Equal(0, result.ExitCode);
        Assert.All(result.StdoutLines, line => Assert.Contains("\"rule\":\"burst\"", line, StringComparison.Ordinal));
        Assert.NotEmpty(result.StdoutLines);
    }
}
