using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Rules.Tests.Sigma;

/// <summary>What AuditWatch cannot judge is reported at load with the file, line, column and construct, never skipped.</summary>
public sealed class SigmaUnsupportedTests
{
    private static List<string> Errors(params (string Path, string Text)[] files)
    {
        var errors = new List<RuleError>();
        SigmaLoader.Load(files, [], errors);
        return [.. errors.Select(e => e.ToString())];
    }

    private static string Rule(string detection, string extra = "") => $"""
        title: T
        id: t-1
        logsource:
            product: kubernetes
            service: audit
        detection:
        {detection}
        level: low
        {extra}
        """;

    [Fact]
    public void A_field_audit_events_do_not_carry_is_named_with_its_line()
    {
        // SigmaHQ's kubernetes_audit_hostpath_mount.yml as published: hostPath is no field of an audit event.
        var errors = Errors(("hostpath.yml", """
            title: Container With A hostPath Mount Created
            id: 402b955c-8fe0-4a8c-b635-622b4ac5f902
            logsource:
                category: application
                product: kubernetes
                service: audit
            detection:
                selection:
                    verb: 'create'
                    objectRef.resource: 'pods'
                    hostPath: '*' # Note: Add the "exists" when it's implemented in SigmaHQ/Aurora
                condition: selection
            level: low
            """));

        var error = Assert.Single(errors);
        Assert.StartsWith("hostpath.yml:11:9: field 'hostPath' is not one AuditWatch reads", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    selection:\n        requestURI|base64offset|contains: abc\n    condition: selection", "t.yml:8:9: 'requestURI|base64offset|contains': modifier 'base64offset' is not supported")]
    [InlineData("    selection:\n        requestURI|frobnicate: abc\n    condition: selection", "t.yml:8:9: 'requestURI|frobnicate': unknown modifier 'frobnicate'")]
    [InlineData("    selection:\n        requestURI|re: '(a)\\1'\n    condition: selection", "t.yml:8:24: regular expression uses a construct the safe (non-backtracking) engine does not support")]
    [InlineData("    selection:\n        verb: get\n    condition: selection | count() by user.username > 5", "t.yml:9:26: condition: the aggregation '| …' is Sigma's deprecated syntax")]
    [InlineData("    selection:\n        verb: get\n    condition: selection near other", "t.yml:9:26: condition: 'near' is Sigma's deprecated syntax")]
    [InlineData("    selection:\n        verb: get\n    condition: selection and filter", "t.yml:9:30: condition: unknown search identifier 'filter' (defined: selection)")]
    [InlineData("    selection:\n        verb: get\n    condition: 2 of selection*", "t.yml:9:16: condition: '2 of' is not Sigma")]
    [InlineData("    selection:\n        verb: get\n    condition: (selection", "t.yml:9:26: condition: missing ')'")]
    [InlineData("    selection:\n        verb: get\n    timeframe: 5m\n    condition: selection", "t.yml:9:16: 'timeframe' belongs to Sigma's deprecated aggregations")]
    public void Unsupported_constructs_are_reported_where_they_are(string detection, string expected)
    {
        var errors = Errors(("t.yml", Rule(detection)));

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_for_another_log_source_is_refused()
    {
        var errors = Errors(("win.yml", """
            title: Windows thing
            id: w-1
            logsource:
                product: windows
                service: security
            detection:
                selection:
                    EventID: 4625
                condition: selection
            """));

        Assert.Contains(errors, e => e.StartsWith("win.yml:4:5: logsource product 'windows', service 'security' is not supported", StringComparison.Ordinal));
    }

    private const string Base = """
        title: Secret read
        name: secret_get
        logsource: { product: kubernetes, service: audit }
        detection:
            selection: { verb: get }
            condition: selection
        """;

    [Theory]
    [InlineData("type: event_count\n    rules: [secret_get]\n    group-by: [user.username]\n    timespan: 5m\n    condition: { lt: 5 }", "c.yml:8:18: condition 'lt' is not supported")]
    [InlineData("type: value_sum\n    rules: [secret_get]\n    group-by: [user.username]\n    timespan: 5m\n    condition: { gte: 5 }", "c.yml:4:11: correlation type 'value_sum' is not supported")]
    [InlineData("type: event_count\n    rules: [nothing_here]\n    group-by: [user.username]\n    timespan: 5m\n    condition: { gte: 5 }", "c.yml:5:13: correlation refers to 'nothing_here'")]
    [InlineData("type: value_count\n    rules: [secret_get]\n    group-by: [user.username]\n    timespan: 5m\n    condition: { gte: 5 }", "c.yml:8:16: a value_count condition needs 'field'")]
    [InlineData("type: event_count\n    rules: [secret_get]\n    group-by: [hostPath]\n    timespan: 5m\n    condition: { gte: 5 }", "c.yml:6:16: field 'hostPath' is not one AuditWatch reads")]
    [InlineData("type: temporal_ordered\n    rules: [secret_get, secret_get]\n    group-by: [user.username]\n    timespan: 5m\n    condition: { gte: 1 }", "c.yml:8:16: a temporal_ordered correlation needs all 2 rules in order")]
    [InlineData("type: event_count\n    rules: [secret_get]\n    group-by: [user.username]\n    timespan: soon\n    condition: { gte: 5 }", "c.yml:7:15: timespan must be a positive duration")]
    [InlineData("type: event_count\n    rules: [secret_get]\n    group-by: [user.username]\n    timespan: 5m\n    condition: { gt: 2147483647 }", "c.yml:8:22: 'gt' must be below 2147483647")]
    public void Unsupported_correlations_are_reported_where_they_are(string correlation, string expected)
    {
        var errors = Errors(("base.yml", Base), ("c.yml", $"title: C\nid: c-1\ncorrelation:\n    {correlation}\n"));

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_correlation_of_a_correlation_is_reported()
    {
        var errors = Errors(
            ("base.yml", Base),
            ("c.yml", "title: C\nid: c-1\nname: first\ncorrelation:\n    type: event_count\n    rules: [secret_get]\n    group-by: [user.username]\n    timespan: 5m\n    condition: { gte: 5 }\n"),
            ("d.yml", "title: D\nid: d-1\ncorrelation:\n    type: event_count\n    rules: [first]\n    group-by: [user.username]\n    timespan: 1h\n    condition: { gte: 2 }\n"));

        Assert.Contains("d.yml:5:13: rule 'first' is itself a correlation: chains of correlations are not supported", errors);
    }

    [Fact]
    public void A_rule_that_alerts_needs_an_id()
    {
        var errors = Errors(("base.yml", Base));

        Assert.Contains(errors, e => e.StartsWith("base.yml:1:1: a Sigma rule that alerts on its own needs an 'id'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Sigma_id_that_a_native_rule_already_uses_is_reported()
    {
        var directory = Directory.CreateTempSubdirectory("aw-sigma-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "native.yaml"), "id: t-1\ntitle: N\nseverity: low\n");
            Directory.CreateDirectory(Path.Combine(directory.FullName, "sigma"));
            File.WriteAllText(Path.Combine(directory.FullName, "sigma", "t.yml"), Rule("    selection: { verb: get }\n    condition: selection"));

            var set = RuleSetLoader.Load(directory.FullName);

            Assert.Contains(set.Errors, e => e.Message.StartsWith("duplicate rule id 't-1'", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Several_documents_in_one_file_load_together_and_every_error_is_reported()
    {
        var errors = Errors(("multi.yml", Base + "\n---\n" + """
            title: C
            id: c-1
            correlation:
                type: event_count
                rules: [secret_get]
                group-by: [user.username]
                timespan: 5m
                condition: { eq: 3 }
            ---
            title: Broken
            id: b-1
            logsource: { product: kubernetes, service: audit }
            detection:
                selection: { verb|base64: get }
                condition: selection
            """));

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("multi.yml:15:18: condition 'eq' is not supported", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("multi.yml:21:18: 'verb|base64': modifier 'base64' is not supported", StringComparison.Ordinal));
    }
}
