using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Webhook;

/// <summary>
/// The service as a cluster admin deploys it: HTTPS with the apiserver's client certificate, fed the real corpora and
/// the project's attack samples by a client that behaves like the apiserver's webhook backend.
/// </summary>
public sealed class MutualTlsTests : IDisposable
{
    private readonly TestCertificates _pki = new();
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-live-").FullName;

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private AuditWatchProcess StartWithMutualTls(params string[] extra) => AuditWatchProcess.Start(
        _workingDirectory,
        https: true,
        [
            $"--Webhook:Tls:CertificateFile={_pki.Path("server.crt")}",
            $"--Webhook:Tls:KeyFile={_pki.Path("server.key")}",
            $"--Webhook:ClientCertificateAuthority={_pki.Path("ca.crt")}",
            .. extra,
        ]);

    [Fact]
    public async Task Alerts_seen_live_over_mutual_tls_equal_those_of_replay()
    {
        string[] files =
        [
            Incidents.Fixture("perfspec_helm_audit.jsonl"),
            Incidents.Sample("secret-burst.jsonl"),
            Incidents.Sample("cluster-wide-list.jsonl"),
            Incidents.Sample("impersonation.jsonl"),
        ];
        await using var service = StartWithMutualTls();
        using var client = new WebhookClient(service.BaseAddress, _pki.Client, _pki.Authority);
        await service.WaitReadyAsync(client.Http);

        var sent = await client.SendFilesAsync(files);
        var decoded = await MetricsScrape.ValueAsync(client.Http, service.BaseAddress, "auditwatch_events_decoded_total{source=\"webhook\"}");
        Assert.Equal(0, await service.StopAsync());

        Assert.Equal(sent, decoded);
        var live = Incidents.Final(service.StdoutLines);
        Assert.Contains(live, i => i.StartsWith("secret-read-burst system:serviceaccount:ci:deploy-bot Resolved High count=27 distinct=27", StringComparison.Ordinal));
        Assert.Equal(await Incidents.ReplayAsync(files), live);
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_is_refused()
    {
        await using var service = StartWithMutualTls();
        using var trusted = new WebhookClient(service.BaseAddress, _pki.Client, _pki.Authority);
        await service.WaitReadyAsync(trusted.Http);
        using var rogue = new WebhookClient(service.BaseAddress, _pki.Rogue, _pki.Authority);
        using var anonymous = new WebhookClient(service.BaseAddress, null, _pki.Authority);
        var body = WebhookClient.EventList(File.ReadLines(Incidents.Sample("secret-burst.jsonl")).Take(5));

        await Assert.ThrowsAsync<HttpRequestException>(() => rogue.PostAsync(body));
        using var withoutCertificate = await anonymous.PostAsync(body);
        using var accepted = await trusted.PostAsync(body);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, withoutCertificate.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(5, await MetricsScrape.ValueAsync(trusted.Http, service.BaseAddress, "auditwatch_events_decoded_total{source=\"webhook\"}"));
    }

    [Fact]
    public async Task Expired_not_yet_valid_and_non_client_certificates_of_the_right_ca_are_refused()
    {
        await using var service = StartWithMutualTls();
        using var trusted = new WebhookClient(service.BaseAddress, _pki.Client, _pki.Authority);
        await service.WaitReadyAsync(trusted.Http);
        var body = WebhookClient.EventList(File.ReadLines(Incidents.Sample("secret-burst.jsonl")).Take(5));

        foreach (var (name, certificate) in new[] { ("expired", _pki.Expired), ("not yet valid", _pki.NotYetValid), ("serverAuth only", _pki.ServerOnly) })
        {
            using var response = await PostOrRefusedAsync(new WebhookClient(service.BaseAddress, certificate, _pki.Authority), body);
            Assert.True(response is null || response.StatusCode == System.Net.HttpStatusCode.Unauthorized, $"{name}: {response?.StatusCode}");
        }

        Assert.Equal(0, await MetricsScrape.ValueAsync(trusted.Http, service.BaseAddress, "auditwatch_events_decoded_total{source=\"webhook\"}"));
    }

    /// <summary>A certificate the handshake refuses gives no response at all (null).</summary>
    private static async Task<HttpResponseMessage?> PostOrRefusedAsync(WebhookClient client, string body)
    {
        using (client)
        {
            try
            {
                return await client.PostAsync(body);
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }
    }
}
