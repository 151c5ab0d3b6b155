namespace AuditWatch.Alerting.Sinks.Webhook;

public sealed class WebhookSinkOptions
{
    public string? Url { get; set; }

    /// <summary>Key for the <c>X-AuditWatch-Signature: sha256=HEX</c> HMAC of the body; or <see cref="SecretFile"/>.</summary>
    public string? Secret { get; set; }

    public string? SecretFile { get; set; }
}
