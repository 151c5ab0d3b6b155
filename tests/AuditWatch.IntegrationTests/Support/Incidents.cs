using AuditWatch.Alerting.Formatting;
using AuditWatch.Core.Alerts;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>Alerts reduced to each incident's final notice, comparable between live and replay.</summary>
internal static class Incidents
{
    public static IReadOnlyList<string> Final(IEnumerable<string> jsonLines) =>
        [.. jsonLines
            .Where(line => line.StartsWith('{'))
            .Select(line => AlertJson.Deserialize(line)!)
            .GroupBy(a => a.IncidentId)
            .Select(g => g.Last())
            .Select(Describe)
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// The first notice of each incident: what fires when, the same wherever the events were read; unlike the final
    /// notice it does not depend on how the stream ended.
    /// </summary>
    public static IReadOnlyList<string> Firing(IEnumerable<string> jsonLines) =>
        [.. jsonLines
            .Where(line => line.StartsWith('{'))
            .Select(line => AlertJson.Deserialize(line)!)
            .Where(a => a.Status == AlertStatus.Firing)
            .Select(Describe)
            .Order(StringComparer.Ordinal)];

    public static async Task<IReadOnlyList<string>> ReplayFiringAsync(params string[] paths)
    {
        var (_, stdout, _) = await AuditWatchCli.RunAsync(null, ["replay", "--output", "jsonl", .. paths]);
        return Firing(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public static string Describe(Alert a) =>
        $"{a.Rule} {a.User} {a.Status} {a.Severity} count={a.Count} distinct={a.DistinctObjects} {a.FirstSeen:O}..{a.LastSeen:O} {a.IncidentId}";

    /// <summary>What <c>AuditWatch replay</c> prints for the same files, reduced the same way.</summary>
    public static async Task<IReadOnlyList<string>> ReplayAsync(params string[] paths)
    {
        var (_, stdout, _) = await AuditWatchCli.RunAsync(null, ["replay", "--output", "jsonl", .. paths]);
        return Final(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "audit", name);
}
