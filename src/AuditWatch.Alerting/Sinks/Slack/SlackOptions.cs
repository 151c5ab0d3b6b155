namespace AuditWatch.Alerting.Sinks.Slack;

public sealed class SlackOptions
{
    /// <summary>Incoming-webhook URL; https, or http to a loopback address (tests, local relays).</summary>
    public string? WebhookUrl { get; set; }
}
