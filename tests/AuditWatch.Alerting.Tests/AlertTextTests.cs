using AuditWatch.Alerting.Formatting;

namespace AuditWatch.Alerting.Tests;

public sealed class AlertTextTests
{
    [Fact]
    public void Names_from_the_audit_stream_cannot_forge_lines_or_send_terminal_escapes()
    {
        var forged = "mallory\n[CRITICAL] Forged alert: admin\r\u001b[2J\u001b[31m";
        var alert = Alerts.Make(user: forged) with
        {
            Objects = ["payments/\u202Etxt.exe", "vault/a\nb"],
            UserAgents = ["curl\u0007\u009b"],
            Summary = forged + " read 27 Secrets",
        };

        var text = AlertText.Format(alert);
        var plain = AlertText.Format(Alerts.Make());

        Assert.Equal(plain.Split('\n').Length, text.Split('\n').Length);
        Assert.DoesNotContain(text.Split('\n'), line => line.StartsWith("[CRITICAL] Forged", StringComparison.Ordinal));
        Assert.DoesNotContain(text, c => char.IsControl(c) && c != '\n');
        Assert.Contains(@"mallory\n[CRITICAL] Forged alert: admin\r\x1b[2J\x1b[31m", text, StringComparison.Ordinal);
        Assert.Contains(@"payments/\u202etxt.exe, vault/a\nb", text, StringComparison.Ordinal);
        Assert.Contains(@"curl\x07\x9b", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_names_are_left_alone()
    {
        Assert.Equal("system:serviceaccount:ci:deploy-bot é 日本", TerminalText.Inert("system:serviceaccount:ci:deploy-bot é 日本"));
    }
}
