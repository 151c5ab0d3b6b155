using AuditWatch.Rules.Loading;

namespace AuditWatch.Rules.Tests.Fuzzing;

/// <summary>YAML that would overflow the stack, expand without bound or trip the parser is a rule error at its place.</summary>
public sealed class YamlLimitsTests
{
    private static IReadOnlyList<string> Errors(string yaml) =>
        [.. RuleSetLoader.Load([("rules/r.yaml", yaml)]).Errors.Select(e => e.ToString())];

    [Fact]
    public void Deep_nesting_is_reported_where_it_passes_the_limit()
    {
        var error = Assert.Single(Errors("id: r\nwhere: " + string.Concat(Enumerable.Repeat("[", 10_000))));

        Assert.StartsWith("rules/r.yaml:2:", error, StringComparison.Ordinal);
        Assert.Contains("nesting deeper than 64 levels", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_is_reported_instead_of_walked()
    {
        var yaml = "id: r\ntitle: t\nseverity: low\nlists:\n  l0: &b0 {field: verb, equals: get}\n"
            + string.Concat(Enumerable.Range(1, 8).Select(i => $"  l{i}: &b{i} {{any: [{string.Join(", ", Enumerable.Repeat($"*b{i - 1}", 10))}]}}\n"))
            + "where: *b8\n";

        var error = Assert.Single(Errors(yaml));

        Assert.Contains("more than 100000 nodes once aliases are expanded", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_of_single_values_still_work()
    {
        Assert.Empty(Errors("""
            id: r
            title: t
            severity: low
            where: { any: [{ field: verb, equals: &get get }, { field: verb, equals: *get }] }
            """));
    }

    [Fact]
    public void Parser_failures_are_rule_errors_with_a_place()
    {
        Assert.Contains(Errors("id: r\nwhere:\n  all: [syst[em:x]\n"), e => e.StartsWith("rules/r.yaml:3:", StringComparison.Ordinal) && e.Contains("invalid YAML", StringComparison.Ordinal));
        Assert.Contains(Errors("lists:\n  a: [x]\n  :\n  b: [y]\n"), e => e.Contains("a mapping key without a value", StringComparison.Ordinal));
    }
}
