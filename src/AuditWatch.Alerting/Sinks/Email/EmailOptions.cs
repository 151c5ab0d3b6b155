namespace AuditWatch.Alerting.Sinks.Email;

public sealed class EmailOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string? From { get; set; }

    /// <summary>Recipients; several separated by commas.</summary>
    public string? To { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>File holding the password (a mounted Secret); instead of <see cref="Password"/>.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>StartTls (default), SslOnConnect, or None (loopback hosts only).</summary>
    public EmailSecurity Security { get; set; } = EmailSecurity.StartTls;

    /// <summary>PEM of a private CA that signs the mail server's certificate; the system's trust store otherwise.</summary>
    public string? CertificateAuthority { get; set; }
}

public enum EmailSecurity
{
    StartTls,
    SslOnConnect,
    None,
}
