using System.Text;
using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Formatting;
using AuditWatch.Alerting.Templates;
using AuditWatch.Core.Alerts;
using MimeKit;

namespace AuditWatch.Alerting.Sinks.Email;

/// <summary>One message per alert group: a subject with severity and rule, and plain-text and HTML parts.</summary>
public static class EmailMessage
{
    public static MimeMessage Build(Notification notification, AlertTemplates templates, MailboxAddress from, IEnumerable<MailboxAddress> to)
    {
        var first = notification.First;
        var subject = (notification.IsTest ? "[TEST] " : string.Empty)
            + templates.Title.Render(first, Escaping.PlainLine)
            + (first.Status == AlertStatus.Resolved ? " (resolved)" : string.Empty)
            + (notification.Alerts.Count > 1 ? $" (+{notification.Alerts.Count - 1} more)" : string.Empty);
        var message = new MimeMessage { Subject = OneLine(subject) };
        message.From.Add(from);
        message.To.AddRange(to);
        message.Headers.Add("X-AuditWatch-Rule", first.Rule);
        var body = new BodyBuilder
        {
            TextBody = string.Join("\n", notification.Alerts.Select(AlertText.Format)),
            HtmlBody = Html(notification, templates),
        };
        message.Body = body.ToMessageBody();
        return message;
    }

    private static string Html(Notification notification, AlertTemplates templates)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        foreach (var alert in notification.Alerts)
        {
            html.Append("<h2>").Append(templates.Title.Render(alert, Escaping.Html)).Append("</h2>");
            html.Append("<p>").Append(templates.Text.Render(alert, Escaping.Html)).Append("</p><table cellpadding=\"4\">");
            Row(html, "Status", alert.Status.ToString());
            Row(html, "Who", alert.ImpersonatedUser is null ? alert.User : $"{alert.User} as {alert.ImpersonatedUser}");
            Row(html, "Requests", $"{alert.Count} ({alert.Outcomes.Allowed} allowed, {alert.Outcomes.Denied} denied, {alert.Outcomes.NotFound} not found)");
            Row(html, "Distinct objects", $"{alert.DistinctObjects}: {string.Join(", ", alert.Objects)}");
            Row(html, "Namespaces", string.Join(", ", alert.Namespaces));
            Row(html, "Source IPs", string.Join(", ", alert.SourceIps));
            Row(html, "User agents", string.Join(", ", alert.UserAgents));
            Row(html, "When", $"{alert.FirstSeen.UtcDateTime:u} – {alert.LastSeen.UtcDateTime:u}");
            Row(html, "Rule", $"{alert.Rule} (incident {alert.IncidentId})");
            Row(html, "Audit IDs", string.Join(", ", alert.AuditIds));
            html.Append("</table>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append("<tr><th align=\"left\">").Append(Escaping.Html(label)).Append("</th><td>").Append(Escaping.Html(value)).Append("</td></tr>");

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
