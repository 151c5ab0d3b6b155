namespace AuditWatch.Core.Alerts;

[System.Text.Json.Serialization.JsonConverter(typeof(LowercaseEnumConverter<AlertStatus>))]
public enum AlertStatus
{
    /// <summary>The first notice of an incident.</summary>
    Firing,

    /// <summary>The incident is still going: the same alert with grown evidence, sent at most once per suppression period.</summary>
    Update,

    /// <summary>The incident is over (no matching read for a whole window): the final tally.</summary>
    Resolved,
}
