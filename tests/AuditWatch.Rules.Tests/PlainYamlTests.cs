using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Rules.Tests;

/// <summary>Rule files are plain data: type tags are errors with their position, and aliases cannot blow up.</summary>
public sealed class PlainYamlTests
{
    private const string Valid = ValidRule.Text;

    [Fact]
    public void Type_tags_in_a_native_rule_are_errors_with_file_and_line_and_load_no_rule()
    {
        var set = RuleSetLoader.Load([("rules/r.yaml", "id: !!python/object:os.system r\ntitle: !<tag:yaml.org,2002:System.Diagnostics.Process> T\nseverity: low\n")]);

        Assert.Empty(set.Enabled);
        Assert.Equal(
            [
                "rules/r.yaml:1:5: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed: rule files are plain data and construct no types",
                "rules/r.yaml:2:8: YAML tag 'tag:yaml.org,2002:System.Diagnostics.Process' is not allowed: rule files are plain data and construct no types",
            ],
            set.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_type_tag_on_a_mapping_in_a_Sigma_rule_is_an_error_with_file_and_line()
    {
        const string sigma = """
            title: T
            id: t-1
            logsource:
                product: kubernetes
                service: audit
            detection:
                selection: !<tag:yaml.org,2002:System.Diagnostics.ProcessStartInfo>
                    verb: get
                condition: selection
            level: low
            """;
        var errors = new List<RuleError>();

        var rules = SigmaLoader.Load([("sigma/t.yml", sigma)], [], errors);

        Assert.Empty(rules);
        Assert.StartsWith("sigma/t.yml:7:16: YAML tag 'tag:yaml.org,2002:System.Diagnostics.ProcessStartInfo' is not allowed", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Core_schema_tags_and_aliased_single_values_are_allowed()
    {
        var set = RuleSetLoader.Load([("rules/r.yaml", Valid.Replace("title: T", "title: !!str &t T\ndescription: *t", StringComparison.Ordinal))]);

        Assert.Empty(set.Errors);
        Assert.Single(set.Enabled);
    }

    [Fact]
    public void Nested_aliases_are_refused_in_little_memory()
    {
        // Seven levels of ten aliases each: a condition of 10^7 leaves if anything expanded them.
        static string Nest(int level) => level == 0
            ? "&c0 { field: user, equals: a }"
            : $"&c{level} {{ any: [{Nest(level - 1)}, {string.Join(", ", Enumerable.Repeat($"*c{level - 1}", 9))}] }}";
        var yaml = Valid.Replace("{ field: secret.read, equals: true }", Nest(7), StringComparison.Ordinal);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var set = RuleSetLoader.Load([("rules/r.yaml", yaml)]);

        // Expanding the aliases would allocate gigabytes; the bound shows nothing was expanded.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 20_000_000, "allocated more than 20 MB");
        Assert.Empty(set.Rules);
        Assert.Contains(set.Errors, e => System.Text.RegularExpressions.Regex.IsMatch(e.ToString(), @"^rules/r\.yaml:5:\d+: (YAML alias \*c\d repeats a mapping or sequence; only single values may be aliased|invalid YAML: more than 100000 nodes once aliases are expanded)$"));
    }
}
