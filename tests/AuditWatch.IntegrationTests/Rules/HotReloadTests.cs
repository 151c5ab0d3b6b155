using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Rules;

/// <summary>Rules changed under a running service: invalid changes are rejected, valid ones applied, state of unchanged rules kept.</summary>
public sealed class HotReloadTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-reload-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    private const string NewRule = """
        id: anything-by-mallory
        title: Mallory did something
        severity: low
        where: { field: user, equals: mallory@example.com }
        """;

    private const string NewSigmaRule = """
        title: Mallory listed Secrets
        id: 5c0f6a2e-0d7b-4b1e-9a41-7f3e2d1c0b9a
        logsource: { product: kubernetes, service: audit }
        detection:
            selection:
                user.username: mallory@example.com
                verb: list
            condition: selection
        level: low
        """;

    [Fact]
    public async Task A_reload_keeps_unchanged_rules_state_rejects_invalid_rules_and_loses_no_event()
    {
        var rules = Directory.CreateDirectory(Path.Combine(_workingDirectory, "rules")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "rules"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(rules, Path.GetFileName(file)));
        }

        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, "--rules", rules);
        using var client = new WebhookClient(service.BaseAddress) { EventsPerBatch = 20 };
        await service.WaitReadyAsync(client.Http);
        var lines = File.ReadAllLines(Incidents.Sample("secret-burst.jsonl"));

        // The burst begins; then a broken rule file arrives and is rejected, then a new valid rule is added.
        foreach (var chunk in lines[..110].Chunk(20))
        {
            await client.SendWithRetriesAsync(WebhookClient.EventList(chunk));
        }

        await WriteWholeAsync(Path.Combine(rules, "broken.yaml"), "id: broken\ntitle: x\nseverity: extreme\n");
        await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_rule_reloads_total{result=\"rejected\"}", 1);

        // The new rule before the broken one goes: every state the reloader can see in between is rejected, none is
        // applied without the new rule.
        await WriteWholeAsync(Path.Combine(rules, "anything-by-mallory.yaml"), NewRule);
        File.Delete(Path.Combine(rules, "broken.yaml"));
        await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_rule_reloads_total{result=\"applied\"}", 1);

        // A Sigma rule dropped into sigma/ is picked up the same way.
        Directory.CreateDirectory(Path.Combine(rules, "sigma"));
        await WriteWholeAsync(Path.Combine(rules, "sigma", "mallory.yml"), NewSigmaRule);
        await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_rule_reloads_total{result=\"applied\"}", 2);

        foreach (var chunk in lines[110..].Chunk(20))
        {
            await client.SendWithRetriesAsync(WebhookClient.EventList(chunk));
        }

        await client.SendFilesAsync(Incidents.Sample("cluster-wide-list.jsonl"));
        // Every request of both samples counted: nothing was dropped around the reloads (241 + 79, as replay counts them).
        await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_requests_total", 241 + 79);
        await Task.Delay(500);
        var requests = await MetricsScrape.ValueAsync(client.Http, service.BaseAddress, "auditwatch_requests_total");
        await service.StopAsync();

        var incidents = Incidents.Final(service.StdoutLines);
        Assert.Single(incidents, i => i.StartsWith("secret-read-burst system:serviceaccount:ci:deploy-bot Resolved High count=27 distinct=27", StringComparison.Ordinal));
        Assert.Single(Incidents.Firing(service.StdoutLines), f => f.StartsWith("secret-read-burst ", StringComparison.Ordinal));
        Assert.Contains(incidents, i => i.StartsWith("anything-by-mallory mallory@example.com", StringComparison.Ordinal));
        Assert.Contains("severity must be one of", service.Stderr, StringComparison.Ordinal);
        Assert.Contains("rules reloaded: added anything-by-mallory; removed none; changed none", service.Stderr, StringComparison.Ordinal);
        Assert.Contains(incidents, i => i.StartsWith("5c0f6a2e-0d7b-4b1e-9a41-7f3e2d1c0b9a mallory@example.com", StringComparison.Ordinal));
        Assert.Contains("rules reloaded: added 5c0f6a2e-0d7b-4b1e-9a41-7f3e2d1c0b9a; removed none; changed none", service.Stderr, StringComparison.Ordinal);
        Assert.Equal(241 + 79, requests);
    }

    /// <summary>
    /// Puts the file in place whole, as a ConfigMap volume update does: the reloader looks every 2 s and could otherwise
    /// read a file that is still empty (an empty Sigma file is valid and holds no rule).
    /// </summary>
    private static async Task WriteWholeAsync(string path, string text)
    {
        var partial = path + ".partial";
        await File.WriteAllTextAsync(partial, text);
        File.Move(partial, path, overwrite: true);
    }
}
