using AuditWatch.Rules.Loading;

namespace AuditWatch.Rules.Tests;

/// <summary>Every mistake an admin can make in a rule file is reported, all at once, at its file, line and column.</summary>
public sealed class ValidationTests
{
    private static IReadOnlyList<string> Errors(string yaml, string file = "rules/r.yaml") =>
        [.. RuleSetLoader.Load([(file, yaml)]).Errors.Select(e => e.ToString())];

    private const string Valid = ValidRule.Text;

    [Fact]
    public void A_valid_rule_has_no_errors()
    {
        Assert.Empty(Errors(Valid));
    }

    [Fact]
    public void The_bundled_rule_pack_is_valid()
    {
        var set = RuleSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "rules"));

        Assert.Empty(set.Errors.Select(e => e.ToString()));
        Assert.True(set.Rules.Count >= 13);
        Assert.All(set.Rules, r => Assert.NotEmpty(r.Tests));
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_line_and_column()
    {
        var errors = Errors("""
            id: r
            title: T
            severity: urgent
            kind: distinct
            colour: blue
            where: { field: secret.nmae, equals: true }
            count_distinct: secret.object
            window: 5 minutes
            threshold: 0
            """);

        Assert.Equal(
            [
                "rules/r.yaml:5:1: unknown key 'colour' in a rule",
                "rules/r.yaml:3:11: severity must be one of info, low, medium, high, critical, not 'urgent'",
                "rules/r.yaml:6:17: unknown field 'secret.nmae'",
                "rules/r.yaml:8:9: window must be a positive duration such as 90s, 5m, 1h30m or 7d, not '5 minutes'",
                "rules/r.yaml:9:12: threshold must be a positive whole number, not '0'",
            ],
            errors.Select(e => e.Split(" (")[0]));
    }

    [Theory]
    [InlineData("where: { field: user, regex: \"([a-z\" }", "invalid regex")]
    [InlineData("where: { field: source_ip, cidr: 10.0.0.0/33 }", "is not a CIDR range")]
    [InlineData("where: { field: user, in: $nowhere }", "unknown list '$nowhere'")]
    [InlineData("where: { field: user, equals: a, prefix: b }", "has 2 operators")]
    [InlineData("where: { field: user }", "needs one operator")]
    [InlineData("where: { all: [] }", "all must be a non-empty list")]
    [InlineData("where: { field: code, gt: many }", "gt needs a number")]
    [InlineData("where: { field: user, equals_field: nobody }", "unknown field 'nobody'")]
    public void Condition_mistakes_are_named(string where, string expected)
    {
        var yaml = Valid.Replace("where: { field: secret.read, equals: true }", where, StringComparison.Ordinal);

        Assert.Contains(Errors(yaml), e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("rules/r.yaml:5:", StringComparison.Ordinal));
    }

    [Fact]
    public void Kind_specific_keys_are_required_and_stray_ones_rejected()
    {
        var errors = Errors("""
            id: r
            title: T
            severity: low
            kind: threshold
            count_distinct: user
            """);

        Assert.Contains(errors, e => e.Contains("a threshold rule needs 'window'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("a threshold rule needs 'threshold'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rules/r.yaml:5:17: 'count_distinct' does not apply to a threshold rule", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_ids_name_the_first_file()
    {
        var set = RuleSetLoader.Load([("a.yaml", Valid), ("b.yaml", Valid)]);

        Assert.Equal("b.yaml:1:5: duplicate rule id 'r' (first defined in a.yaml)", Assert.Single(set.Errors).ToString());
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_position()
    {
        var error = Assert.Single(Errors("id: r\ntitle: [unclosed\n"));

        Assert.StartsWith("rules/r.yaml:3:", error, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_cases_are_checked_too()
    {
        var errors = Errors(Valid + """

            tests:
              - name: t
                events:
                  - { user: a, secret: ns/s, repeat: -1, colour: red }
              - name: no expectations
                events:
                  - { user: a }
            """);

        Assert.Contains(errors, e => e.Contains("repeat must be a positive whole number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unknown key 'colour'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("test 'no expectations' needs 'expect'", StringComparison.Ordinal));
    }
}
