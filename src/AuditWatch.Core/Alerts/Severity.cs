namespace AuditWatch.Core.Alerts;

[System.Text.Json.Serialization.JsonConverter(typeof(LowercaseEnumConverter<Severity>))]
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
