using System.Text.Json.Nodes;

namespace AuditWatch.TestSupport;

/// <summary>
/// The secret-burst sample with one request stamped decades ahead (a control-plane node with a broken clock) right
/// after the stolen token's first read from outside the pod network: an anonymous Secret read, so that a match rule
/// still has something to say about it.
/// </summary>
internal static class BrokenClockRecording
{
    public const string AuditId = "7d1f0c52-3a52-4d0e-8d55-2b8f7c9e41aa";

    public static async Task<string> WriteAsync(string sample, string directory)
    {
        var lines = File.ReadAllLines(sample).Where(l => l.Length > 0).ToList();
        var broken = JsonNode.Parse(lines.First(l => l.Contains("\"resource\":\"secrets\"", StringComparison.Ordinal)))!;
        broken["auditID"] = AuditId;
        broken["user"] = new JsonObject { ["username"] = "system:anonymous", ["groups"] = new JsonArray("system:unauthenticated") };
        broken["requestReceivedTimestamp"] = "2100-01-01T00:00:00.000000Z";
        broken["stageTimestamp"] = "2100-01-01T00:00:00.002000Z";
        lines.Insert(lines.FindIndex(l => l.Contains("203.0.113.50", StringComparison.Ordinal)) + 1, broken.ToJsonString());
        var path = Path.Combine(directory, "skewed.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
