namespace AuditWatch.Alerting.Sinks.JsonFile;

public sealed class JsonFileSinkOptions
{
    /// <summary>JSON-lines file alerts are appended to, one alert per line (the replay schema).</summary>
    public string? Path { get; set; }
}
