using System.Text.Json.Serialization;

namespace AuditWatch.Core.Alerts;

/// <summary>
/// An alert as security operations receive it. The JSON names are a stable contract: fields may be added, never renamed.
/// </summary>
public sealed record Alert
{
    public const int MaxObjects = 50;
    public const int MaxAuditIds = 10;

    [JsonPropertyName("rule")] public required string Rule { get; init; }
    [JsonPropertyName("severity")] public required Severity Severity { get; init; }
    [JsonPropertyName("user")] public required string User { get; init; }
    [JsonPropertyName("impersonatedUser")] public string? ImpersonatedUser { get; init; }
    [JsonPropertyName("firstSeen")] public required DateTimeOffset FirstSeen { get; init; }
    [JsonPropertyName("lastSeen")] public required DateTimeOffset LastSeen { get; init; }
    [JsonPropertyName("count")] public required int Count { get; init; }
    [JsonPropertyName("distinctObjects")] public required int DistinctObjects { get; init; }
    [JsonPropertyName("objects")] public required IReadOnlyList<string> Objects { get; init; }
    [JsonPropertyName("namespaces")] public required IReadOnlyList<string> Namespaces { get; init; }
    [JsonPropertyName("sourceIPs")] public required IReadOnlyList<string> SourceIps { get; init; }
    [JsonPropertyName("userAgents")] public required IReadOnlyList<string> UserAgents { get; init; }
    [JsonPropertyName("auditIDs")] public required IReadOnlyList<string> AuditIds { get; init; }
    [JsonPropertyName("summary")] public required string Summary { get; init; }

    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("status")] public required AlertStatus Status { get; init; }

    /// <summary>Deterministic: rule, group key and the event time the incident started, so live and replay agree.</summary>
    [JsonPropertyName("incidentId")] public required string IncidentId { get; init; }

    [JsonPropertyName("outcomes")] public required OutcomeCounts Outcomes { get; init; }
    [JsonPropertyName("suppressedRepeats")] public int SuppressedRepeats { get; init; }
    [JsonPropertyName("labels")] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    [JsonPropertyName("runbookUrl")] public string? RunbookUrl { get; init; }
}
