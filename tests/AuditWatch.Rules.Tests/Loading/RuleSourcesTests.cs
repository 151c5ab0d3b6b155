using AuditWatch.Rules.Loading;

namespace AuditWatch.Rules.Tests.Loading;

/// <summary>
/// A rules directory read once: the rule set comes from the texts that were read, whatever the files hold by then, and
/// the fingerprint changes with any file the set is loaded from, Sigma rules and their tests included.
/// </summary>
public sealed class RuleSourcesTests : IDisposable
{
    private const string Native = """
        id: anything-by-mallory
        title: Mallory did something
        severity: low
        where: { field: user, equals: mallory@example.com }
        """;

    private const string Sigma = """
        title: Secret read by Eve
        id: 5f0c1a52-1d7e-4b8e-9a77-0c2d4f1e3a10
        logsource: { product: kubernetes, service: audit }
        detection:
            selection:
                user.username: eve@example.com
            condition: selection
        level: low
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-sources-").FullName;

    public RuleSourcesTests()
    {
        Write("a.yaml", Native);
        Write(Path.Combine("sigma", "eve.yml"), Sigma);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void The_set_is_loaded_from_the_texts_read_not_from_what_the_files_hold_later()
    {
        var sources = RuleSources.Read(_directory);
        Write("a.yaml", Native.Replace("anything-by-mallory", "anything-by-trudy", StringComparison.Ordinal));

        var set = sources.Load();

        Assert.True(set.IsValid, string.Join("\n", set.Errors));
        Assert.Equal(["5f0c1a52-1d7e-4b8e-9a77-0c2d4f1e3a10", "anything-by-mallory"], set.Rules.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["anything-by-trudy", "5f0c1a52-1d7e-4b8e-9a77-0c2d4f1e3a10"], RuleSetLoader.Load(_directory).Rules.Select(r => r.Id));
    }

    [Fact]
    public void The_fingerprint_follows_every_file_the_set_is_loaded_from_and_nothing_else()
    {
        var first = RuleSources.Read(_directory).Fingerprint;
        Assert.Equal(first, RuleSources.Read(_directory).Fingerprint);

        Write("notes.txt", "not a rule file");
        Assert.Equal(first, RuleSources.Read(_directory).Fingerprint);

        Write(Path.Combine("sigma", "tests", "eve.yml"), "rule: 5f0c1a52-1d7e-4b8e-9a77-0c2d4f1e3a10\ntests: []\n");
        var withTests = RuleSources.Read(_directory).Fingerprint;
        Assert.NotEqual(first, withTests);

        File.Move(Path.Combine(_directory, "a.yaml"), Path.Combine(_directory, "b.yaml"));
        Assert.NotEqual(withTests, RuleSources.Read(_directory).Fingerprint);
    }

    [Fact]
    public void A_missing_directory_loads_as_an_error_naming_it()
    {
        var missing = Path.Combine(_directory, "nowhere");
        var sources = RuleSources.Read(missing);

        Assert.False(sources.Exists);
        Assert.Equal(string.Empty, sources.Fingerprint);
        var error = Assert.Single(sources.Load().Errors);
        Assert.Contains("rules directory does not exist", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(missing, error.ToString(), StringComparison.Ordinal);
    }
}
