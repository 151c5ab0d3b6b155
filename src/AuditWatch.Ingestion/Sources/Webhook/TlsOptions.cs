namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>The server certificate for HTTPS listeners (PEM files, re-read when they change).</summary>
public sealed class TlsOptions
{
    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(CertificateFile) && !string.IsNullOrEmpty(KeyFile);
}
