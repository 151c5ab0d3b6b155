using System.Text;
using System.Text.Json;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Delivery;

/// <summary>
/// The live service fed audit events logged at RequestResponse level that carry credentials — Secret data and
/// stringData, a TokenRequest's token, a TokenReview's token, a Secret inside kubectl's last-applied-configuration
/// annotation, a token in a request URI — over the webhook and a tailed file. Not one of the values, plain or base64,
/// appears in any byte AuditWatch wrote: stdout, stderr, /metrics, the file and webhook sinks, the dead letter of a
/// refusing Slack, /readyz, and every file in its working and data directory (read positions included). Nor do the
/// credentials of its own configuration: the webhook token, the Slack URL's secret path, the webhook sink's key.
/// </summary>
public sealed class SecretValuesTests : IDisposable
{
    private const string DataValue = "hunter2-planted-secret-data";
    private const string StringDataValue = "planted-stringdata-value";
    private const string TokenRequestToken = "planted-tokenrequest-opaque-token";
    private const string TokenReviewToken = "planted-tokenreview-bearer-value";
    private const string AppliedValue = "planted-last-applied-password";
    private const string UriToken = "planted-uri-query-token";
    private const string WebhookToken = "planted-webhook-bearer-token";
    private const string SlackPathSecret = "planted-slack-url-secret";
    private const string HmacKey = "planted-webhook-sink-hmac-key";
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-secrets-").FullName;
    private readonly string _inputDirectory = Directory.CreateTempSubdirectory("auditwatch-secrets-input-").FullName;

    public void Dispose()
    {
        Directory.Delete(_workingDirectory, recursive: true);
        Directory.Delete(_inputDirectory, recursive: true);
    }

    private static string B64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    [Fact]
    public async Task No_credential_from_the_audit_stream_reaches_any_output()
    {
        var log = Path.Combine(_inputDirectory, "audit.log");
        await File.WriteAllLinesAsync(log, Events("f", "file-thief").Append("{\"broken\": \"" + B64(DataValue)));
        using var slack = new RecordingReceiver(Enumerable.Repeat(403, 1000), (_, _) => null);
        using var webhook = new RecordingReceiver([], (_, _) => null);
        var alertsFile = Path.Combine(_workingDirectory, "alerts.jsonl");
        var service = AuditWatchProcess.Start(
            _workingDirectory,
            https: false,
            $"--Sources:Files:Paths:0={log}",
            "--Sources:Files:PollInterval=00:00:00.05",
            "--Detection:AllowedLateness=00:00:02",
            $"--Webhook:Token={WebhookToken}",
            $"--Sinks:Slack:WebhookUrl={new Uri(slack.Url, "/services/T0/B0/" + SlackPathSecret)}",
            $"--Sinks:Webhook:Url={webhook.Url}",
            $"--Sinks:Webhook:Secret={HmacKey}",
            $"--Sinks:File:Path={alertsFile}");
        string metrics;
        string readiness;
        await using (service)
        {
            using var client = new WebhookClient(service.BaseAddress, token: WebhookToken);
            await service.WaitReadyAsync(client.Http);
            var webhookEvents = Events("w", "webhook-thief").ToList();
            using var response = await client.PostAsync(WebhookClient.EventList(webhookEvents));
            using var malformed = await client.PostAsync("{\"kind\":\"EventList\",\"items\":[{\"verb\":\"" + B64(DataValue) + "\",\"stage\":3}]}");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_events_decoded_total{source=\"file\"}", webhookEvents.Count);
            await MetricsScrape.WaitForAsync(client.Http, service.BaseAddress, "auditwatch_dead_letters_total{sink=\"slack\"}", 1);
            metrics = await client.Http.GetStringAsync(new Uri(service.BaseAddress, "/metrics"));
            readiness = await client.Http.GetStringAsync(new Uri(service.BaseAddress, "/readyz"));
            Assert.Equal(0, await service.StopAsync());
        }

        var outputs = new List<(string Where, string Text)>
        {
            ("stdout", string.Join('\n', service.StdoutLines)),
            ("stderr", service.Stderr),
            ("/metrics", metrics),
            ("/readyz", readiness),
        };
        outputs.AddRange(webhook.Requests.Select(r => ("webhook sink", r.Body)));
        outputs.AddRange(slack.Requests.Select(r => ("slack", r.Body)));
        outputs.AddRange(Directory.EnumerateFiles(_workingDirectory, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))));

        // The run did produce every kind of output searched.
        Assert.Contains(outputs, o => o.Where == "stdout" && o.Text.Contains("\"user\":\"file-thief\"", StringComparison.Ordinal) && o.Text.Contains("\"user\":\"webhook-thief\"", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Where.EndsWith("alerts.jsonl", StringComparison.Ordinal) && o.Text.Contains("webhook-thief", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Where.EndsWith("dead-letter.jsonl", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Where.EndsWith("file-positions.json", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Where == "webhook sink");
        Assert.Contains("auditwatch_secret_payload_requests_total", metrics, StringComparison.Ordinal);
        Assert.Contains("403", readiness, StringComparison.Ordinal);

        string[] planted = [DataValue, StringDataValue, TokenRequestToken, TokenReviewToken, AppliedValue, UriToken, WebhookToken, SlackPathSecret, HmacKey];
        foreach (var needle in planted.SelectMany(p => new[] { p, B64(p), B64(p).TrimEnd('=') }))
        {
            Assert.All(outputs, o => Assert.False(o.Text.Contains(needle, StringComparison.Ordinal), $"{needle} found in {o.Where}"));
        }
    }

    /// <summary>Twelve Secret reads with data (enough for the burst rule), then the other credential-carrying requests.</summary>
    private static IEnumerable<string> Events(string prefix, string user)
    {
        string Event(int i, string verb, string uri, string objectRef, string bodies) =>
            $$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"{{{prefix}}}-{{{i}}}","stage":"ResponseComplete","requestURI":"{{{uri}}}","verb":"{{{verb}}}","user":{"username":"{{{user}}}"},"sourceIPs":["203.0.113.50"],"userAgent":"python-requests/2.31.0","objectRef":{{{objectRef}}},"responseStatus":{"code":200},{{{bodies}}}"requestReceivedTimestamp":"2026-11-02T10:00:{{{i:00}}}.000000Z","stageTimestamp":"2026-11-02T10:00:{{{i:00}}}.000100Z"}""";

        for (var i = 0; i < 12; i++)
        {
            yield return Event(i, "get", $"/api/v1/namespaces/prod/secrets/s{i}", $$$"""{"resource":"secrets","namespace":"prod","name":"s{{{i}}}","apiVersion":"v1"}""",
                $$$"""  "responseObject":{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s{{{i}}}","namespace":"prod"},"data":{"password":"{{{B64(DataValue)}}}"},"stringData":{"plain":"{{{StringDataValue}}}"}},""");
        }

        yield return Event(12, "create", "/api/v1/namespaces/ci/serviceaccounts/deploy-bot/token", """{"resource":"serviceaccounts","namespace":"ci","name":"deploy-bot","subresource":"token","apiVersion":"v1"}""",
            $$$"""  "requestObject":{"kind":"TokenRequest","spec":{"audiences":["api"]}},"responseObject":{"kind":"TokenRequest","status":{"token":"{{{TokenRequestToken}}}","expirationTimestamp":"2026-11-02T11:00:00Z"}},""");
        yield return Event(13, "create", "/apis/authentication.k8s.io/v1/tokenreviews", """{"resource":"tokenreviews","apiGroup":"authentication.k8s.io","apiVersion":"v1"}""",
            $$$"""  "requestObject":{"kind":"TokenReview","spec":{"token":"{{{TokenReviewToken}}}"}},"responseObject":{"kind":"TokenReview","spec":{"token":"{{{TokenReviewToken}}}"},"status":{"authenticated":true}},""");
        var applied = JsonSerializer.Serialize(JsonSerializer.Serialize(new { apiVersion = "v1", kind = "Secret", metadata = new { name = "db", @namespace = "prod" }, data = new { password = B64(AppliedValue) } }));
        yield return Event(14, "patch", "/api/v1/namespaces/prod/secrets/db?fieldManager=kubectl-client-side-apply", """{"resource":"secrets","namespace":"prod","name":"db","apiVersion":"v1"}""",
            $$$"""  "requestObject":{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":{{{applied}}}}},"data":{"password":"{{{B64(AppliedValue)}}}"}},""");
        yield return Event(15, "list", $"/api/v1/namespaces/prod/secrets?access_token={UriToken}", """{"resource":"secrets","namespace":"prod","apiVersion":"v1"}""", string.Empty);
    }
}
