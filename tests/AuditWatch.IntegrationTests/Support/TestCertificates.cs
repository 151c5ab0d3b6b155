using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// A throwaway PKI like a cluster's: a CA, a server certificate for 127.0.0.1, the apiserver's client certificate,
/// and a client certificate from another CA that must not be trusted. PEM files in a temporary directory.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("auditwatch-pki-").FullName;
        using var ca = CreateAuthority("CN=auditwatch-test-ca");
        using var rogueCa = CreateAuthority("CN=someone-else");
        Authority = X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert));
        Write("ca.crt", ca.ExportCertificatePem());
        var server = Issue(ca, "CN=auditwatch", serverAuth: true);
        Write("server.crt", server.Certificate.ExportCertificatePem());
        Write("server.key", server.Key.ExportPkcs8PrivateKeyPem());
        Client = Issue(ca, "CN=kube-apiserver", serverAuth: false).Combined;
        Rogue = Issue(rogueCa, "CN=kube-apiserver", serverAuth: false).Combined;
        Expired = Issue(ca, "CN=kube-apiserver", serverAuth: false, validity: Validity.Expired).Combined;
        NotYetValid = Issue(ca, "CN=kube-apiserver", serverAuth: false, validity: Validity.NotYetValid).Combined;
        ServerOnly = Issue(ca, "CN=kube-apiserver", serverAuth: true).Combined;
    }

    private enum Validity
    {
        Current,
        Expired,
        NotYetValid,
    }

    public string Directory { get; }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 Rogue { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 NotYetValid { get; }

    /// <summary>Issued by the right CA but for server authentication only (no clientAuth extended key usage).</summary>
    public X509Certificate2 ServerOnly { get; }

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public void Dispose()
    {
        Client.Dispose();
        Rogue.Dispose();
        Expired.Dispose();
        NotYetValid.Dispose();
        ServerOnly.Dispose();
        Authority.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private void Write(string name, string pem) => File.WriteAllText(Path(name), pem);

    private static X509Certificate2 CreateAuthority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static (X509Certificate2 Certificate, ECDsa Key, X509Certificate2 Combined) Issue(X509Certificate2 authority, string subject, bool serverAuth, Validity validity = Validity.Current)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var (notBefore, notAfter) = validity switch
        {
            Validity.Expired => (DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-2)),
            Validity.NotYetValid => (DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow.AddDays(10)),
            _ => (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10)),
        };
        var serial = RandomNumberGenerator.GetBytes(16);
        using var certificate = request.Create(authority, notBefore, notAfter, serial);
        var combined = certificate.CopyWithPrivateKey(key);
        var loaded = X509CertificateLoader.LoadPkcs12(combined.Export(X509ContentType.Pkcs12), null);
        return (X509CertificateLoader.LoadCertificate(certificate.RawData), key, loaded);
    }
}
