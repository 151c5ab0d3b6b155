using System.Text.Json.Serialization;

namespace AuditWatch.Core.Alerts;

/// <summary>How the counted requests of an incident were answered; denied and missing reads are probing.</summary>
public sealed record OutcomeCounts(
    [property: JsonPropertyName("allowed")] int Allowed,
    [property: JsonPropertyName("denied")] int Denied,
    [property: JsonPropertyName("notFound")] int NotFound,
    [property: JsonPropertyName("other")] int Other);
