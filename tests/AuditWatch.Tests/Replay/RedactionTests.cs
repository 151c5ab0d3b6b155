namespace AuditWatch.Tests.Replay;

/// <summary>A Secret value planted in the audit stream appears nowhere in what AuditWatch prints.</summary>
public sealed class RedactionTests
{
    private const string PlantedValue = "c3VwZXItc2VjcmV0LXBsYW50ZWQtdmFsdWU=";
    private const string PlantedToken = "eyJhbGciOiJSUzI1NiJ9.planted-token-payload.c2lnbmF0dXJl";

    [Fact]
    public async Task Planted_secret_values_and_tokens_never_reach_stdout_or_stderr()
    {
        var lines = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            // A RequestResponse policy logs the Secret with its data, on reads as well as writes.
            lines.Add($$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"r{{{i}}}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/prod/secrets/s{{{i}}}","verb":"get","user":{"username":"thief"},"objectRef":{"resource":"secrets","namespace":"prod","name":"s{{{i}}}","apiVersion":"v1"},"responseStatus":{"code":200},"responseObject":{"kind":"Secret","data":{"password":"{{{PlantedValue}}}"},"stringData":{"plain":"{{{PlantedValue}}}"}},"requestReceivedTimestamp":"2026-11-02T10:00:{{{i:00}}}.000000Z","stageTimestamp":"2026-11-02T10:00:{{{i:00}}}.000100Z"}""");
        }

        lines.Add($$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"t","stage":"ResponseComplete","requestURI":"/apis/authentication.k8s.io/v1/tokenreviews","verb":"create","user":{"username":"system:kube-apiserver"},"objectRef":{"resource":"tokenreviews","apiGroup":"authentication.k8s.io","apiVersion":"v1"},"responseStatus":{"code":201},"requestObject":{"kind":"TokenReview","spec":{"token":"{{{PlantedToken}}}"}},"requestReceivedTimestamp":"2026-11-02T10:00:30.000000Z","stageTimestamp":"2026-11-02T10:00:30.000100Z"}""");
        lines.Add($"{{\"broken\": \"{PlantedValue}");
        var path = Path.Combine(Path.GetTempPath(), $"auditwatch-planted-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        try
        {
            foreach (var format in new[] { "jsonl", "text" })
            {
                var result = await CliRunner.RunAsync(["replay", "--output", format, path]);

                Assert.Equal(0, result.ExitCode);
                Assert.Contains("thief", result.Stdout, StringComparison.Ordinal);
                Assert.Contains("Secret payloads 13", result.Stderr, StringComparison.Ordinal);
                foreach (var planted in new[] { PlantedValue, PlantedToken, "super-secret-planted-value", "planted-token-payload" })
                {
                    Assert.DoesNotContain(planted, result.Stdout, StringComparison.Ordinal);
                    Assert.DoesNotContain(planted, result.Stderr, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_token_sent_as_a_user_agent_is_redacted_on_stdout_as_in_the_sinks()
    {
        var lines = Enumerable.Range(0, 12).Select(i =>
            $$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"u{{{i}}}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/prod/secrets/s{{{i}}}","verb":"get","user":{"username":"thief"},"userAgent":"tool/1.0 Bearer {{{PlantedToken}}}","sourceIPs":["203.0.113.50"],"objectRef":{"resource":"secrets","namespace":"prod","name":"s{{{i}}}","apiVersion":"v1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-02T10:00:{{{i:00}}}.000000Z","stageTimestamp":"2026-11-02T10:00:{{{i:00}}}.000100Z"}""");
        var path = Path.Combine(Path.GetTempPath(), $"auditwatch-agent-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        try
        {
            foreach (var format in new[] { "jsonl", "text" })
            {
                var result = await CliRunner.RunAsync(["replay", "--output", format, path]);

                Assert.Equal(0, result.ExitCode);
                Assert.Contains("tool/1.0 Bearer [redacted token]", result.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("planted-token-payload", result.Stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
