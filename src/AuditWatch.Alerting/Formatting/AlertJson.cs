using System.Text.Json;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Formatting;

/// <summary>The alert contract as one line of JSON.</summary>
public static class AlertJson
{
    public static string Serialize(Alert alert) => JsonSerializer.Serialize(alert, AlertJsonContext.Default.Alert);

    public static Alert? Deserialize(string json) => JsonSerializer.Deserialize(json, AlertJsonContext.Default.Alert);
}
