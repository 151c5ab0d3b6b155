using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Tests.Builders;

/// <summary>Rules written in YAML, as an admin would, and loaded through the real loader.</summary>
internal static class TestRules
{
    public static Rule Parse(string yaml)
    {
        var set = RuleSetLoader.Load([("test-rule.yaml", yaml)]);
        Assert.Empty(set.Errors.Select(e => e.ToString()));
        return Assert.Single(set.Rules);
    }

    public static Rule Distinct(int threshold = 10, string window = "5m", string suppress = "5m") => Parse($"""
        id: distinct-test
        title: Many distinct Secrets
        severity: medium
        kind: distinct
        where: {"{"} field: secret.read, equals: true {"}"}
        count_distinct: secret.object
        window: {window}
        threshold: {threshold}
        suppress: {suppress}
        """);

    public static Rule Threshold(int threshold, string window) => Parse($"""
        id: threshold-test
        title: Many Secret reads
        severity: medium
        kind: threshold
        where: {"{"} field: secret.read, equals: true {"}"}
        window: {window}
        threshold: {threshold}
        """);
}
