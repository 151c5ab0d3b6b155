using System.Text.Json.Nodes;
using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Sinks.Slack;
using AuditWatch.Alerting.Templates;

namespace AuditWatch.Alerting.Tests;

public sealed class SlackMessageTests
{
    private static readonly AlertTemplates Templates = AlertTemplates.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), []);

    [Fact]
    public void User_controlled_text_cannot_form_links_or_mentions()
    {
        var alert = Alerts.Make(user: "<https://evil.example|click here> <!channel> *bold*") with { UserAgents = ["`x` <@U123>"] };

        var message = SlackMessage.Build(new Notification("r", "g", [alert]), Templates);

        // Slack parses links and mentions in mrkdwn and in the top-level text; plain_text (the header) is shown as is.
        var parsed = MrkdwnTexts(message).Append(message["text"]!.GetValue<string>()).ToList();
        Assert.All(parsed, text =>
        {
            Assert.DoesNotContain("<https://evil.example", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<!channel>", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<@U123>", text, StringComparison.Ordinal);
        });
        Assert.Contains(parsed, text => text.Contains("`&lt;https://evil.example|click here&gt; &lt;!channel&gt; *bold*`", StringComparison.Ordinal));
    }

    private static IEnumerable<string> MrkdwnTexts(JsonNode? node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "mrkdwn" => [o["text"]!.GetValue<string>()],
        JsonObject o => o.SelectMany(p => MrkdwnTexts(p.Value)),
        JsonArray a => a.SelectMany(MrkdwnTexts),
        _ => [],
    };

    [Fact]
    public void A_large_group_stays_within_slack_limits()
    {
        var alerts = Enumerable.Range(0, 40).Select(i => Alerts.Make(incident: $"i{i}") with
        {
            Objects = [.. Enumerable.Range(0, 50).Select(o => $"namespace-{o}/" + new string('s', 200))],
            Summary = new string('x', 5000),
        }).ToList();

        var message = SlackMessage.Build(new Notification("r", "g", alerts), Templates);

        var blocks = message["blocks"]!.AsArray();
        Assert.True(blocks.Count <= SlackMessage.MaxBlocks);
        Assert.Contains("more incident(s)", blocks[^1]!.ToJsonString(), StringComparison.Ordinal);
        foreach (var block in blocks.Select(b => b!.AsObject()))
        {
            if (block["type"]!.GetValue<string>() == "header")
            {
                Assert.True(block["text"]!["text"]!.GetValue<string>().Length <= SlackMessage.MaxHeader);
            }

            if (block["text"] is JsonObject text)
            {
                Assert.True(text["text"]!.GetValue<string>().Length <= SlackMessage.MaxSectionText);
            }

            if (block["fields"] is JsonArray fields)
            {
                Assert.True(fields.Count <= SlackMessage.MaxFields);
                Assert.All(fields, f => Assert.True(f!["text"]!.GetValue<string>().Length <= SlackMessage.MaxFieldText));
            }
        }

        Assert.False(string.IsNullOrEmpty(message["text"]!.GetValue<string>()));
    }
}
