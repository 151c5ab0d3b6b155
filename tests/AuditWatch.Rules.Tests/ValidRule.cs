namespace AuditWatch.Rules.Tests;

/// <summary>The smallest valid native rule, for tests that break one part of it.</summary>
internal static class ValidRule
{
    public const string Text = """
        id: r
        title: T
        severity: medium
        kind: distinct
        where: { field: secret.read, equals: true }
        count_distinct: secret.object
        window: 5m
        threshold: 10
        """;
}
