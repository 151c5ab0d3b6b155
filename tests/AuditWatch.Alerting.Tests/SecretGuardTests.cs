using AuditWatch.Alerting.Redaction;

namespace AuditWatch.Alerting.Tests;

public sealed class SecretGuardTests
{
    [Theory]
    [InlineData("token eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXBhcnQ end", "eyJhbGci")]
    [InlineData("Authorization: Bearer abcdef0123456789abcdef0123456789", "abcdef0123456789")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA7")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC (cut off)", "MIIEvQIBADANBgkq")]
    [InlineData("data password=cGxhbnRlZC1zZWNyZXQtdmFsdWUtNDI= leaked", "cGxhbnRlZC1zZWNyZXQtdmFsdWUtNDI")]
    public void Planted_secrets_are_removed(string text, string planted)
    {
        Assert.DoesNotContain(planted, SecretGuard.Scrub(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("system:serviceaccount:kube-prometheus-stack:my-kube-prometheus-stack-operator")]
    [InlineData("kube-system/sh.helm.release.v1.my-kube-prometheus-stack.v1")]
    [InlineData("kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819")]
    [InlineData("5867dbf3-0303-43e3-a9e8-23c4968d4d9b")]
    [InlineData("/api/v1/namespaces/payments/secrets?fieldSelector=metadata.name%3Dstripe")]
    public void Evidence_survives(string text)
    {
        Assert.Equal(text, SecretGuard.Scrub(text));
    }

    [Fact]
    public void Every_text_field_of_an_alert_is_guarded()
    {
        const string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.dGhlLXNpZ25hdHVyZQ";
        var alert = Alerts.Make() with { Summary = "x " + jwt, UserAgents = [jwt], Objects = [jwt], Labels = new Dictionary<string, string> { ["k"] = jwt } };

        var scrubbed = SecretGuard.Scrub(alert);

        var text = AuditWatch.Alerting.Formatting.AlertJson.Serialize(scrubbed);
        Assert.DoesNotContain("eyJhbGci", text, StringComparison.Ordinal);
    }
}
