using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>
/// Decides whether a webhook request comes from the apiserver: a client certificate issued by the configured CA,
/// or the configured bearer token (compared in constant time). With neither configured (plain HTTP on loopback only,
/// enforced at start-up) every request is accepted.
/// </summary>
public sealed class WebhookAuthenticator
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private readonly ReloadingFile<byte[]>? _tokenFile;
    private readonly byte[]? _tokenHash;
    private readonly ReloadingFile<X509Certificate2Collection>? _authority;
    private readonly TimeProvider _time;

    public WebhookAuthenticator(WebhookOptions options, TimeProvider time)
    {
        _time = time;
        if (!string.IsNullOrEmpty(options.Token))
        {
            _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        }
        else if (!string.IsNullOrEmpty(options.TokenFile))
        {
            _tokenFile = new ReloadingFile<byte[]>(options.TokenFile, p => SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(p).Trim())), time);
        }

        if (options.HasClientCertificateAuthority)
        {
            _authority = new ReloadingFile<X509Certificate2Collection>(options.ClientCertificateAuthority!, LoadAuthority, time);
        }
    }

    public bool IsOpen => _tokenHash is null && _tokenFile is null && _authority is null;

    public bool AcceptsClientCertificates => _authority is not null;

    public bool IsAuthorized(X509Certificate2? clientCertificate, string? authorizationHeader) =>
        IsOpen || IsTrusted(clientCertificate) || HasValidToken(authorizationHeader);

    /// <summary>Chains the certificate to the configured CA only, for client authentication.</summary>
    public bool IsTrusted(X509Certificate2? certificate)
    {
        if (certificate is null || _authority is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authority.Value);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(certificate);
    }

    private bool HasValidToken(string? header)
    {
        var expected = _tokenHash ?? _tokenFile?.Value;
        if (expected is null || header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = header["Bearer ".Length..].Trim();
        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), expected);
    }

    private static X509Certificate2Collection LoadAuthority(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        if (certificates.Count == 0)
        {
            throw new FormatException($"{path} holds no PEM certificate");
        }

        return certificates;
    }
}
