using System.Text.RegularExpressions;
using AuditWatch.Alerting.Delivery;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Redaction;

/// <summary>
/// The last line of defence before anything leaves: private-key blocks, JWTs, bearer tokens and long base64 runs (the
/// shape of Secret data) are replaced in every text an alert carries. Kubernetes names never look like these (they are
/// lowercase DNS labels), so evidence survives.
/// </summary>
public static partial class SecretGuard
{
    public static string Scrub(string text)
    {
        if (text.Length < 20)
        {
            return text;
        }

        text = PrivateKey().Replace(text, "[redacted private key]");
        text = Jwt().Replace(text, "[redacted token]");
        text = Bearer().Replace(text, "Bearer [redacted]");
        return Base64Run().Replace(text, match => LooksEncoded(match.Value) ? "[redacted]" : match.Value);
    }

    public static Alert Scrub(Alert alert) => alert with
    {
        User = Scrub(alert.User),
        ImpersonatedUser = alert.ImpersonatedUser is null ? null : Scrub(alert.ImpersonatedUser),
        Summary = Scrub(alert.Summary),
        Title = Scrub(alert.Title),
        Objects = [.. alert.Objects.Select(Scrub)],
        Namespaces = [.. alert.Namespaces.Select(Scrub)],
        SourceIps = [.. alert.SourceIps.Select(Scrub)],
        UserAgents = [.. alert.UserAgents.Select(Scrub)],
        AuditIds = [.. alert.AuditIds.Select(Scrub)],
        Labels = alert.Labels.ToDictionary(l => l.Key, l => Scrub(l.Value)),
    };

    public static Notification Scrub(Notification notification) =>
        notification with { Alerts = [.. notification.Alerts.Select(Scrub)] };

    /// <summary>Mixed case and digits: base64 of data, not a word, a path or a Kubernetes name.</summary>
    private static bool LooksEncoded(string run) =>
        run.Any(char.IsUpper) && run.Any(char.IsLower) && run.Any(char.IsDigit);

    [GeneratedRegex(@"-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END[A-Z ]*PRIVATE KEY-----|$)", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?i)bearer\s+[A-Za-z0-9._~+/=-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"[A-Za-z0-9+/]{24,}={0,2}", RegexOptions.CultureInvariant)]
    private static partial Regex Base64Run();
}
