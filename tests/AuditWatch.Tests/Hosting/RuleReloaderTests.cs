using AuditWatch.Hosting;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.Tests.Hosting;

/// <summary>
/// A rules directory is applied only once it looked the same twice in a row, so a file caught half written (an editor
/// saving in place, a deploy copying file after file) is neither rejected nor applied.
/// </summary>
public sealed class RuleReloaderTests : IDisposable
{
    private const string Rule = """
        id: anything-by-mallory
        title: Mallory did something
        severity: low
        where: { field: user, equals: mallory@example.com }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-reload-").FullName;
    private readonly List<IReadOnlyList<Rule>> _applied = [];
    private readonly RuleReloader _reloader;
    private readonly IDisposable _subscription;

    public RuleReloaderTests()
    {
        File.WriteAllText(Path.Combine(_directory, "a.yaml"), Rule);
        var sources = RuleSources.Read(_directory);
        _reloader = new RuleReloader(sources, sources.Load(), TimeProvider.System, NullLogger<RuleReloader>.Instance);
        _subscription = _reloader.RuleSets.Subscribe(_applied.Add);
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _reloader.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_directory, name), text);

    private List<string> Current => [.. _applied[^1].Select(r => r.Id).Order(StringComparer.Ordinal)];

    [Fact]
    public void A_change_is_applied_at_the_second_look_that_sees_it_unchanged()
    {
        Write("b.yaml", Rule.Replace("anything-by-mallory", "second-rule", StringComparison.Ordinal));

        _reloader.CheckOnce();
        Assert.Single(_applied);

        _reloader.CheckOnce();
        Assert.Equal(2, _applied.Count);
        Assert.Equal(["anything-by-mallory", "second-rule"], Current);
        Assert.Equal(1, _reloader.Applied);

        _reloader.CheckOnce();
        Assert.Equal(2, _applied.Count);
    }

    [Fact]
    public void A_file_caught_half_written_is_neither_rejected_nor_applied()
    {
        // Half of the file: valid YAML, but the severity is cut off.
        var whole = Rule.Replace("anything-by-mallory", "second-rule", StringComparison.Ordinal);
        Write("b.yaml", whole[..whole.IndexOf("severity", StringComparison.Ordinal)]);
        _reloader.CheckOnce();
        Write("b.yaml", whole);
        _reloader.CheckOnce();

        Assert.Equal(0, _reloader.Rejected);
        Assert.Single(_applied);

        _reloader.CheckOnce();
        Assert.Equal(0, _reloader.Rejected);
        Assert.Equal(["anything-by-mallory", "second-rule"], Current);
    }

    [Fact]
    public void A_broken_file_that_stays_is_rejected_once_and_a_change_undone_before_it_settled_is_nothing()
    {
        Write("b.yaml", "id: broken\ntitle: x\nseverity: extreme\n");
        _reloader.CheckOnce();
        _reloader.CheckOnce();
        _reloader.CheckOnce();
        Assert.Equal(1, _reloader.Rejected);

        File.Delete(Path.Combine(_directory, "b.yaml"));
        _reloader.CheckOnce();
        Write("b.yaml", "id: broken\ntitle: x\nseverity: extreme\n");
        _reloader.CheckOnce();
        _reloader.CheckOnce();

        // Back to what was rejected before it settled: nothing new to say.
        Assert.Equal(1, _reloader.Rejected);
        Assert.Single(_applied);
    }

    [Fact]
    public void A_directory_that_cannot_be_read_changes_nothing_and_is_looked_at_again()
    {
        // A dangling link is listed but cannot be read, as a file a ConfigMap update removes between listing and reading.
        var link = Path.Combine(_directory, "b.yaml");
        File.CreateSymbolicLink(link, Path.Combine(_directory, "gone", "b.yaml"));

        _reloader.CheckOnce();
        _reloader.CheckOnce();
        Assert.Equal(2, _reloader.Unreadable);
        Assert.Equal(0, _reloader.Rejected);
        Assert.Single(_applied);

        File.Delete(link);
        Write("b.yaml", Rule.Replace("anything-by-mallory", "second-rule", StringComparison.Ordinal));
        _reloader.CheckOnce();
        _reloader.CheckOnce();
        Assert.Equal(["anything-by-mallory", "second-rule"], Current);
    }
}
