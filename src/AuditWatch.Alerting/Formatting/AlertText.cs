using System.Globalization;
using System.Text;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Formatting;

/// <summary>An alert laid out for a person reading a terminal; every text from the audit stream is made inert.</summary>
public static class AlertText
{
    public static string Format(Alert alert)
    {
        var text = new StringBuilder();
        var who = TerminalText.Inert(alert.ImpersonatedUser is null ? alert.User : $"{alert.User} as {alert.ImpersonatedUser}");
        var status = alert.Status switch
        {
            AlertStatus.Update => " (still going)",
            AlertStatus.Resolved => " (ended)",
            _ => string.Empty,
        };
        text.Append(CultureInfo.InvariantCulture, $"[{alert.Severity.ToString().ToUpperInvariant()}] {TerminalText.Inert(alert.Title)}{status}: {who}").AppendLine();
        text.Append("  ").AppendLine(TerminalText.Inert(alert.Summary));
        text.Append(CultureInfo.InvariantCulture, $"  rule:       {alert.Rule} (incident {alert.IncidentId})").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  when:       {Time(alert.FirstSeen)} .. {Time(alert.LastSeen)}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  reads:      {alert.Count} ({alert.Outcomes.Allowed} allowed, {alert.Outcomes.Denied} denied, {alert.Outcomes.NotFound} not found)").AppendLine();
        Line(text, "objects", alert.Objects, alert.DistinctObjects);
        Line(text, "namespaces", alert.Namespaces, alert.Namespaces.Count);
        Line(text, "source IPs", alert.SourceIps, alert.SourceIps.Count);
        Line(text, "user agents", alert.UserAgents, alert.UserAgents.Count);
        Line(text, "audit IDs", alert.AuditIds, alert.AuditIds.Count);
        if (alert.SuppressedRepeats > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  suppressed: {alert.SuppressedRepeats} repeats since the last notice").AppendLine();
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string label, IReadOnlyList<string> values, int total)
    {
        if (values.Count == 0)
        {
            return;
        }

        var more = total > values.Count ? $" (+{total - values.Count} more)" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"  {label + ":",-11} {string.Join(", ", values.Select(TerminalText.Inert))}{more}").AppendLine();
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture);
}
