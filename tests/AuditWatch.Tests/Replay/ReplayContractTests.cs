using System.Text.Json;

namespace AuditWatch.Tests.Replay;

/// <summary>The replay command's promises: stdout carries only alerts, with stable field names; exit codes mean what they say.</summary>
public sealed class ReplayContractTests
{
    private static readonly string[] ContractFields =
    [
        "rule", "severity", "user", "impersonatedUser", "firstSeen", "lastSeen", "count", "distinctObjects",
        "objects", "namespaces", "sourceIPs", "userAgents", "auditIDs", "summary",
    ];

    [Fact]
    public async Task Jsonl_output_is_one_json_object_per_alert_and_nothing_else()
    {
        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", CliRunner.Fixture("perfspec_helm_audit.jsonl")]);

        Assert.Equal(0, result.ExitCode);
        Assert.NotEmpty(result.StdoutLines);
        foreach (var line in result.StdoutLines)
        {
            using var alert = JsonDocument.Parse(line);
            var names = alert.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            Assert.All(ContractFields, field => Assert.Contains(field, names));
        }
    }

    [Fact]
    public async Task Summary_goes_to_stderr_with_counts()
    {
        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", CliRunner.Fixture("perfspec_helm_audit.jsonl")]);

        Assert.Contains("events read     16563", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("skipped         0", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"alerts          {result.StdoutLines.Length}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_types_follow_the_contract()
    {
        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", CliRunner.Fixture("perfspec_helm_audit.jsonl")]);

        using var alert = JsonDocument.Parse(result.StdoutLines[0]);
        var root = alert.RootElement;
        Assert.Equal(JsonValueKind.String, root.GetProperty("severity").ValueKind);
        Assert.Contains(root.GetProperty("severity").GetString(), new[] { "info", "low", "medium", "high", "critical" });
        Assert.Equal(JsonValueKind.Number, root.GetProperty("count").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("objects").ValueKind);
        Assert.EndsWith("Z", root.GetProperty("firstSeen").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("auditIDs").GetArrayLength() <= 10);
    }

    [Fact]
    public async Task Missing_input_exits_1_naming_the_file()
    {
        var result = await CliRunner.RunAsync(["replay", "/no/such/audit.log"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/no/such/audit.log", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("replay", "--output", "xml", "x.log")]
    [InlineData("replay", "--bogus", "x.log")]
    [InlineData("no-such-verb")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdin_is_read_with_a_dash()
    {
        var log = await File.ReadAllTextAsync(CliRunner.Sample("secret-burst.jsonl"));

        var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", "-"], log);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.StdoutLines, line => line.Contains("system:serviceaccount:ci:deploy-bot", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_lines_are_reported_on_stderr_and_the_rest_still_alerts()
    {
        var lines = (await File.ReadAllLinesAsync(CliRunner.Sample("secret-burst.jsonl"))).ToList();
        lines.Insert(5, "{\"this is\": \"not an event\"}");
        lines.Insert(9, lines[20][..100]);
        var path = Path.Combine(Path.GetTempPath(), $"auditwatch-bad-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        try
        {
            var result = await CliRunner.RunAsync(["replay", "--output", "jsonl", path]);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains($"{path}:6: not an audit Event", result.Stderr, StringComparison.Ordinal);
            Assert.Contains($"{path}:10: ", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("skipped         2", result.Stderr, StringComparison.Ordinal);
            Assert.Contains(result.StdoutLines, line => line.Contains("deploy-bot", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
