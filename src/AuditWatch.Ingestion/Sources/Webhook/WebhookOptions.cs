namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>The <c>Webhook</c> configuration section (docs/configuration.md).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>Bearer token the apiserver's webhook kubeconfig sends; compared in constant time.</summary>
    public string? Token { get; set; }

    /// <summary>File holding the bearer token (a mounted Secret); re-read when it changes.</summary>
    public string? TokenFile { get; set; }

    /// <summary>PEM file of the CA that signs the apiserver's client certificate; re-read when it changes.</summary>
    public string? ClientCertificateAuthority { get; set; }

    /// <summary>Largest request body, compressed or not. 400 events of up to ~100 KiB are legal, so the default is 64 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Seconds a refused (429) sender is asked to wait before retrying.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    public TlsOptions Tls { get; set; } = new();

    public bool HasToken => !string.IsNullOrEmpty(Token) || !string.IsNullOrEmpty(TokenFile);

    public bool HasClientCertificateAuthority => !string.IsNullOrEmpty(ClientCertificateAuthority);

    public bool RequiresAuthentication => HasToken || HasClientCertificateAuthority;
}
