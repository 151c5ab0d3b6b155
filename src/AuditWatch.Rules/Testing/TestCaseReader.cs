using System.Globalization;
using AuditWatch.Core.Alerts;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Yaml;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Testing;

/// <summary>Reads a rule's <c>tests:</c> list (native rules, Sigma documents and Sigma test files alike).</summary>
internal sealed class TestCaseReader(string file, Diagnostics diagnostics)
{
    private static readonly DateTimeOffset DefaultTestStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public IReadOnlyList<RuleTestCase> Read(YamlNode node)
    {
        if (node.Sequence("tests", diagnostics) is not { } sequence)
        {
            return [];
        }

        var cases = new List<RuleTestCase>();
        var events = new CompactEventReader(diagnostics);
        foreach (var child in sequence.Children)
        {
            if (child.Mapping("a test case", diagnostics) is not { } map)
            {
                continue;
            }

            map.RejectUnknownKeys(new HashSet<string> { "name", "start", "events", "fixture", "expect" }, "a test case", diagnostics);
            var name = map.Get("name").Scalar("name", diagnostics) ?? $"case {cases.Count + 1}";
            var start = DefaultTestStart;
            if (map.Get("start") is { } startNode && startNode.Scalar("start", diagnostics) is { } startText
                && !DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
            {
                diagnostics.Add(startNode, $"start must be an RFC 3339 time, not '{startText}'");
            }

            var inline = map.Get("events") is { } eventsNode && eventsNode.Sequence("events", diagnostics) is { } list
                ? events.Read(list, start.ToUniversalTime(), name)
                : [];
            var fixture = map.Get("fixture").Scalar("fixture", diagnostics) is { } relative
                ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file) ?? ".", relative))
                : null;
            if (inline.Count == 0 && fixture is null)
            {
                diagnostics.Add(map, $"test '{name}' needs events or a fixture");
            }

            if (map.Get("expect") is not { } expectNode)
            {
                diagnostics.Add(map, $"test '{name}' needs 'expect' (a list of incidents, or [] for silence)");
                continue;
            }

            cases.Add(new RuleTestCase(name, file, child.Start.Line, inline, fixture, ReadExpectations(expectNode)));
        }

        return cases;
    }

    private IReadOnlyList<ExpectedIncident> ReadExpectations(YamlNode node)
    {
        if (node.Sequence("expect", diagnostics) is not { } sequence)
        {
            return [];
        }

        var expected = new List<ExpectedIncident>();
        foreach (var child in sequence.Children)
        {
            if (child.Mapping("an expected incident", diagnostics) is not { } map)
            {
                continue;
            }

            map.RejectUnknownKeys(new HashSet<string> { "user", "count", "distinct", "severity", "impersonated" }, "an expected incident", diagnostics);
            expected.Add(new ExpectedIncident(
                map.Get("user").Scalar("user", diagnostics),
                map.Get("count").PositiveInteger("count", diagnostics),
                map.Get("distinct").PositiveInteger("distinct", diagnostics),
                ReadSeverity(map.Get("severity")),
                map.Get("impersonated").Scalar("impersonated", diagnostics),
                child.Start.Line));
        }

        return expected;
    }

    private Severity? ReadSeverity(YamlNode? node)
    {
        var text = node.Scalar("severity", diagnostics);
        if (text is null)
        {
            return null;
        }

        if (SeverityNames.TryParse(text, out var severity))
        {
            return severity;
        }

        diagnostics.Add(node!, $"severity must be one of info, low, medium, high, critical, not '{text}'");
        return null;
    }
}
