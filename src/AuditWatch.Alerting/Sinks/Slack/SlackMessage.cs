using System.Text.Json.Nodes;
using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Templates;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Sinks.Slack;

/// <summary>
/// A Block Kit message within Slack's documented limits: at most 50 blocks, header text 150 characters, section text
/// 3000, at most 10 fields of 2000, context of 10 elements; plus a plain <c>text</c> fallback for notifications.
/// Everything that came from an audit event is escaped (and shown as code) so it cannot form links or mentions.
/// </summary>
public static class SlackMessage
{
    public const int MaxBlocks = 50;
    public const int MaxHeader = 150;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxFields = 10;
    private const int BlocksPerAlert = 5;

    public static JsonObject Build(Notification notification, AlertTemplates templates)
    {
        var blocks = new JsonArray();
        var shown = Math.Min(notification.Alerts.Count, (MaxBlocks - 1) / BlocksPerAlert);
        foreach (var alert in notification.Alerts.Take(shown))
        {
            foreach (var block in AlertBlocks(alert, templates, notification.IsTest))
            {
                blocks.Add(block);
            }
        }

        if (notification.Alerts.Count > shown)
        {
            blocks.Add(Section($"…and {notification.Alerts.Count - shown} more incident(s) in this group."));
        }

        var fallback = templates.Title.Render(notification.First, Escaping.SlackText)
            + (notification.Alerts.Count > 1 ? $" (+{notification.Alerts.Count - 1} more)" : string.Empty);
        return new JsonObject
        {
            ["text"] = Limit((notification.IsTest ? "[TEST] " : string.Empty) + fallback, MaxSectionText),
            ["blocks"] = blocks,
        };
    }

    private static IEnumerable<JsonObject> AlertBlocks(Alert alert, AlertTemplates templates, bool isTest)
    {
        var status = alert.Status switch
        {
            AlertStatus.Update => " (still going)",
            AlertStatus.Resolved => " (resolved)",
            _ => string.Empty,
        };
        var header = (isTest ? "[TEST] " : string.Empty) + templates.Title.Render(alert, Escaping.PlainLine) + status;
        yield return new JsonObject
        {
            ["type"] = "header",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Limit(header, MaxHeader), ["emoji"] = false },
        };
        yield return Section(templates.Text.Render(alert, Escaping.SlackText));
        var fields = new JsonArray
        {
            Field("Who", Escaping.SlackCode(alert.User) + (alert.ImpersonatedUser is null ? string.Empty : " as " + Escaping.SlackCode(alert.ImpersonatedUser))),
            Field("How many", $"{alert.Count} requests, {alert.DistinctObjects} distinct objects ({alert.Outcomes.Denied} denied, {alert.Outcomes.NotFound} not found)"),
            Field("Namespaces", List(alert.Namespaces)),
            Field("When", $"{alert.FirstSeen.UtcDateTime:u} → {alert.LastSeen.UtcDateTime:u}"),
            Field("Source IPs", List(alert.SourceIps)),
            Field("User agents", List(alert.UserAgents)),
        };
        yield return new JsonObject { ["type"] = "section", ["fields"] = fields };
        yield return Section($"*Objects* ({alert.DistinctObjects})\n{List(alert.Objects, alert.DistinctObjects)}");
        var context = $"rule {Escaping.SlackCode(alert.Rule)} · incident {Escaping.SlackCode(alert.IncidentId)} · severity {alert.Severity.ToString().ToLowerInvariant()}";
        if (alert.RunbookUrl is { } runbook && Uri.TryCreate(runbook, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
        {
            context += $" · <{Escaping.SlackText(uri.AbsoluteUri)}|Runbook>";
        }

        yield return new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = Limit(context, MaxSectionText) } },
        };
    }

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Limit(mrkdwn.Length == 0 ? " " : mrkdwn, MaxSectionText) },
    };

    private static JsonObject Field(string label, string value) => new()
    {
        ["type"] = "mrkdwn",
        ["text"] = Limit($"*{label}*\n{(value.Length == 0 ? "–" : value)}", MaxFieldText),
    };

    private static string List(IReadOnlyList<string> values, int? total = null)
    {
        var text = string.Join(", ", values.Select(Escaping.SlackCode));
        var more = total > values.Count ? $" (+{total - values.Count} more)" : string.Empty;
        return text + more;
    }

    private static string Limit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
