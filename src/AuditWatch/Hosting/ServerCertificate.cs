using System.Security.Cryptography.X509Certificates;
using AuditWatch.Ingestion.Sources.Webhook;

namespace AuditWatch.Hosting;

/// <summary>The HTTPS certificate from PEM files, re-read when they change (a rotated Kubernetes Secret).</summary>
public sealed class ServerCertificate(TlsOptions tls, TimeProvider time)
{
    private readonly ReloadingFile<X509Certificate2> _file = new(tls.CertificateFile!, _ => Load(tls), time);

    public X509Certificate2 Current => _file.Value;

    private static X509Certificate2 Load(TlsOptions tls)
    {
        using var pem = X509Certificate2.CreateFromPemFile(tls.CertificateFile!, tls.KeyFile);

        // A PEM-loaded key is ephemeral; a PKCS#12 round trip gives SslStream a key it can always use.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
