namespace AuditWatch.Alerting.Sinks.Alertmanager;

public sealed class AlertmanagerOptions
{
    /// <summary>Base URL of Alertmanager; alerts go to <c>{Url}/api/v2/alerts</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Where a person can find out more; becomes generatorURL (with the incident id appended).</summary>
    public string GeneratorUrl { get; set; } = "http://auditwatch.local/incidents/";

    /// <summary>A firing alert is posted with endsAt this far ahead, and re-posted while active (Alertmanager resolves it when it lapses).</summary>
    public TimeSpan ActiveFor { get; set; } = TimeSpan.FromMinutes(15);
}
