using AuditWatch.IntegrationTests.Support;
using MimeKit;

namespace AuditWatch.IntegrationTests.Delivery;

/// <summary>Mail to a real SMTP server (aiosmtpd) that requires STARTTLS and authentication; the test parses what arrived.</summary>
public sealed class EmailDeliveryTests : IDisposable
{
    private readonly TestCertificates _pki = new();
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-mail-").FullName;

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private ExternalServer StartSmtp(string maildir) => ExternalServer.Start("/usr/bin/python3", (port, _) =>
    [
        Path.Combine(AppContext.BaseDirectory, "Support", "smtp_server.py"),
        "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--cert", _pki.Path("server.crt"), "--key", _pki.Path("server.key"),
        "--user", "auditwatch", "--password", "mail-password-123", "--maildir", maildir,
    ]);

    private string[] EmailSettings(int port, string password = "mail-password-123") =>
    [
        "--Sinks:Email:Host=127.0.0.1", $"--Sinks:Email:Port={port}", "--Sinks:Email:Security=StartTls",
        $"--Sinks:Email:CertificateAuthority={_pki.Path("ca.crt")}",
        "--Sinks:Email:From=AuditWatch <auditwatch@example.com>", "--Sinks:Email:To=secops@example.com, oncall@example.com",
        "--Sinks:Email:Username=auditwatch", $"--Sinks:Email:Password={password}",
    ];

    [Fact]
    public async Task Alerts_arrive_as_mail_with_html_and_text_over_starttls_with_authentication()
    {
        var maildir = Directory.CreateDirectory(Path.Combine(_workingDirectory, "mail")).FullName;
        await using var smtp = StartSmtp(maildir);
        await smtp.WaitReadyAsync(path: null);
        await using var service = AuditWatchProcess.Start(_workingDirectory, https: false, EmailSettings(smtp.Port));
        using var client = new WebhookClient(service.BaseAddress);
        await service.WaitReadyAsync(client.Http);

        await client.SendFilesAsync(Incidents.Sample("impersonation.jsonl"));
        await service.StopAsync();

        var messages = Directory.GetFiles(maildir, "*.eml").Select(f => MimeMessage.Load(f)).ToList();
        Assert.NotEmpty(messages);
        var impersonation = messages.First(m => m.Subject!.Contains("Secrets read while impersonating a privileged identity", StringComparison.Ordinal));
        Assert.StartsWith("[", impersonation.Subject, StringComparison.Ordinal);
        Assert.Equal(["secops@example.com", "oncall@example.com"], impersonation.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("eve@example.com as system:serviceaccount:kube-system:clusterrole-aggregation-controller", impersonation.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("impersonated-secret-read", impersonation.TextBody, StringComparison.Ordinal);
        Assert.Contains(messages, m => m.Subject!.EndsWith("(resolved)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_is_reported_by_alerts_test_with_the_exact_error()
    {
        var maildir = Directory.CreateDirectory(Path.Combine(_workingDirectory, "mail")).FullName;
        await using var smtp = StartSmtp(maildir);
        await smtp.WaitReadyAsync(path: null);

        var good = await AlertsTestAsync(EmailSettings(smtp.Port));
        var bad = await AlertsTestAsync(EmailSettings(smtp.Port, "wrong"));

        Assert.Equal((0, "email: delivered"), (good.ExitCode, good.Stdout.Trim()));
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("email: FAILED: SMTP authentication failed", bad.Stdout.Trim(), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(maildir, "*.eml"));
        Assert.StartsWith("[TEST]", MimeMessage.Load(Directory.GetFiles(maildir, "*.eml")[0]).Subject, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Stdout)> AlertsTestAsync(string[] settings)
    {
        var (exitCode, stdout, _) = await AuditWatchCli.RunAsync(_workingDirectory, ["alerts", "test", "--Delivery:MaxRetries=0", .. settings]);
        return (exitCode, stdout);
    }
}
