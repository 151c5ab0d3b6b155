using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AuditWatch.Alerting.Delivery;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace AuditWatch.Alerting.Sinks.Email;

/// <summary>Email through SMTP with MailKit: STARTTLS, TLS on connect, or (loopback only) none; optional authentication.</summary>
public sealed class EmailSink(EmailOptions options, MailboxAddress from, IReadOnlyList<MailboxAddress> to, string? password, X509Certificate2Collection? authority, SinkContext context)
    : IAlertSink
{
    public static readonly SinkDefinition Definition = new("email", (section, context, errors) =>
    {
        var options = section.Get<EmailOptions>() ?? new EmailOptions();
        if (options.Host is not { Length: > 0 })
        {
            return null;
        }

        if (!MailboxAddress.TryParse(options.From ?? string.Empty, out var from))
        {
            errors.Add($"Sinks:Email:From: '{options.From}' is not an email address");
        }

        var to = new List<MailboxAddress>();
        foreach (var address in (options.To ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (MailboxAddress.TryParse(address, out var mailbox))
            {
                to.Add(mailbox);
            }
            else
            {
                errors.Add($"Sinks:Email:To: '{address}' is not an email address");
            }
        }

        if (to.Count == 0)
        {
            errors.Add("Sinks:Email:To needs at least one recipient");
        }

        if (options.Security == EmailSecurity.None && !SinkUrls.IsLoopback(options.Host))
        {
            errors.Add($"Sinks:Email:Security None is allowed only for a loopback host, not {options.Host}");
        }

        if (options.Port is <= 0 or > 65535)
        {
            errors.Add($"Sinks:Email:Port must be a TCP port, not {options.Port}");
        }

        string? password = options.Password;
        if (!string.IsNullOrEmpty(options.PasswordFile))
        {
            if (!string.IsNullOrEmpty(options.Password))
            {
                errors.Add("Sinks:Email:Password and Sinks:Email:PasswordFile are both set; use one");
            }
            else if (File.Exists(options.PasswordFile))
            {
                password = File.ReadAllText(options.PasswordFile).Trim();
            }
            else
            {
                errors.Add($"Sinks:Email:PasswordFile: {options.PasswordFile} does not exist");
            }
        }

        if (!string.IsNullOrEmpty(options.Username) && string.IsNullOrEmpty(password))
        {
            errors.Add("Sinks:Email:Username needs Sinks:Email:Password or PasswordFile");
        }

        X509Certificate2Collection? authority = null;
        if (!string.IsNullOrEmpty(options.CertificateAuthority))
        {
            if (File.Exists(options.CertificateAuthority))
            {
                authority = [];
                authority.ImportFromPemFile(options.CertificateAuthority);
            }
            else
            {
                errors.Add($"Sinks:Email:CertificateAuthority: {options.CertificateAuthority} does not exist");
            }
        }

        return from is null || to.Count == 0 ? null : new EmailSink(options, from, to, password, authority, context);
    });

    public string Name => "email";

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        using var message = EmailMessage.Build(notification, context.Templates, from, to);
        using var client = new SmtpClient();
        if (authority is not null)
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && IsTrusted(certificate);
        }

        try
        {
            var security = options.Security switch
            {
                EmailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                EmailSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(options.Host!, options.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await client.AuthenticateAsync(options.Username, password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            // 5xx: the server will not take it (bad recipient, policy); 4xx: try again later.
            throw new DeliveryException($"SMTP server refused: {(int)ex.StatusCode} {ex.Message}", permanent: (int)ex.StatusCode >= 500, inner: ex);
        }
        catch (AuthenticationException ex)
        {
            throw new DeliveryException($"SMTP authentication failed: {ex.Message}", permanent: true, inner: ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or SslHandshakeException)
        {
            throw new DeliveryException($"SMTP delivery to {options.Host}:{options.Port} failed: {ex.Message}", permanent: false, inner: ex);
        }
    }

    private bool IsTrusted(System.Security.Cryptography.X509Certificates.X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authority!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(server);
    }
}
