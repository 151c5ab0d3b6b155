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

    /// <summary>Time a client has to send all request headers; a slow-loris sender is disconnected after it.</summary>
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Slowest accepted body upload after the grace period; a client trickling a body is cut off (408).</summary>
    public double MinBodyBytesPerSecond { get; set; } = 4096;

    public TimeSpan MinBodyRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Idle time before a kept-alive connection is closed; longer than Go's 90 s client idle timeout.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Open connections at once, all listeners together (apiserver replicas, scrapers, probes).</summary>
    public long MaxConcurrentConnections { get; set; } = 1000;

    public int MaxRequestHeaderCount { get; set; } = 64;

    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    public TlsOptions Tls { get; set; } = new();

    public bool HasToken => !string.IsNullOrEmpty(Token) || !string.IsNullOrEmpty(TokenFile);

    public bool HasClientCertificateAuthority => !string.IsNullOrEmpty(ClientCertificateAuthority);

    public bool RequiresAuthentication => HasToken || HasClientCertificateAuthority;
}
