using System.Text.Json;
using System.Text.Json.Nodes;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Delivery;

/// <summary>
/// A user name crafted to forge log lines, colour a terminal, ping a Slack channel, form links, run script in an
/// e-mail client or expand template placeholders, sent through the real service: each output keeps it as inert data.
/// </summary>
public sealed class InjectionTests : IDisposable
{
    private const string Hostile = "mallory\ncrit: forged log line\r\u001b[2J\u001b[31m <!channel> <http://evil.example|click> <script>alert(1)</script> *bold* [x](http://evil.example) {{rule}}";
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-inject-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task A_hostile_user_name_arrives_escaped_in_every_sink_and_forges_no_log_line()
    {
        using var slack = new RecordingReceiver([], (body, _) => SlackSchema.Check(body));
        using var webhook = new RecordingReceiver([], (_, _) => null);
        var alertsFile = Path.Combine(_workingDirectory, "alerts.jsonl");
        var service = AuditWatchProcess.Start(
            _workingDirectory,
            https: false,
            $"--Sinks:Slack:WebhookUrl={slack.Url}",
            $"--Sinks:Webhook:Url={webhook.Url}",
            $"--Sinks:File:Path={alertsFile}");
        await using (service)
        {
            using var client = new WebhookClient(service.BaseAddress);
            await service.WaitReadyAsync(client.Http);
            var items = Enumerable.Range(0, 12).Select(SecretRead).Append(SecretRead(12).Replace("\"stage\":\"ResponseComplete\"", "\"stage\":" + JsonSerializer.Serialize(Hostile), StringComparison.Ordinal));
            using var response = await client.PostAsync(WebhookClient.EventList(items));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, await service.StopAsync());

            // stderr: one log record per line, nothing a terminal would interpret.
            Assert.Contains("item 12 rejected: unknown stage 'mallory?crit: forged", service.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', service.Stderr);
            Assert.DoesNotContain('\r', service.Stderr);
            Assert.DoesNotContain(service.Stderr.Split('\n'), line => line.StartsWith("crit: forged", StringComparison.Ordinal));

            // JSON outputs keep the name exactly, as an escaped JSON string on one line.
            var stdoutAlerts = service.StdoutLines.Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Contains(stdoutAlerts, a => a["user"]!.GetValue<string>() == Hostile);
            var fileAlerts = File.ReadAllLines(alertsFile).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Contains(fileAlerts, a => a["user"]!.GetValue<string>() == Hostile);
            Assert.NotEmpty(webhook.Requests);
            Assert.All(webhook.Requests, r => Assert.DoesNotContain('\n', r.Body.TrimEnd('\n')));
            Assert.Contains(webhook.Requests, r => JsonNode.Parse(r.Body)!["user"]!.GetValue<string>() == Hostile);
        }

        // Slack: mrkdwn and the notification text hold no mention, link or unescaped markup; placeholders stay text.
        Assert.NotEmpty(slack.Requests);
        Assert.All(slack.Requests, r => Assert.Null(r.Problem));
        var parsed = slack.Requests.SelectMany(r => SlackParsedTexts(JsonNode.Parse(r.Body)!)).ToList();
        Assert.Contains(parsed, t => t.Contains("&lt;!channel&gt;", StringComparison.Ordinal) && t.Contains("{{rule}}", StringComparison.Ordinal));
        Assert.All(parsed, t =>
        {
            Assert.DoesNotContain("<!channel>", t, StringComparison.Ordinal);
            Assert.DoesNotContain("<http://evil.example", t, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", t, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', t);
        });
    }

    private static string SecretRead(int i) =>
        $$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"inj-{{{i}}}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/prod/secrets/s{{{i}}}","verb":"get","user":{"username":{{{JsonSerializer.Serialize(Hostile)}}}},"sourceIPs":["203.0.113.50"],"userAgent":"python-requests/2.31.0","objectRef":{"resource":"secrets","namespace":"prod","name":"s{{{i}}}","apiVersion":"v1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-02T10:00:{{{i:00}}}.000000Z","stageTimestamp":"2026-11-02T10:00:{{{i:00}}}.000100Z"}""";

    /// <summary>The texts Slack parses for links and mentions: mrkdwn objects and the top-level fallback.</summary>
    private static IEnumerable<string> SlackParsedTexts(JsonNode node) => node is JsonObject root && root["text"] is JsonValue fallback
        ? Mrkdwn(node).Append(fallback.GetValue<string>())
        : Mrkdwn(node);

    private static IEnumerable<string> Mrkdwn(JsonNode? node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "mrkdwn" => [o["text"]!.GetValue<string>()],
        JsonObject o => o.SelectMany(p => Mrkdwn(p.Value)),
        JsonArray a => a.SelectMany(Mrkdwn),
        _ => [],
    };
}
