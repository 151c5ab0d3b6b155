using System.Net;
using AuditWatch.Alerting.Formatting;

namespace AuditWatch.Alerting.Templates;

/// <summary>How user-controlled text is made inert in each sink's format.</summary>
public static class Escaping
{
    /// <summary>
    /// Slack mrkdwn: &amp;, &lt; and &gt; escaped (no links, mentions or channel pings can form), line breaks and control
    /// characters shown as escapes (a value cannot start a line of its own formatting or leave a code span).
    /// </summary>
    public static string SlackText(string value) =>
        TerminalText.Inert(value).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Slack mrkdwn as inline code: no bold, italics, strike or links inside; backticks cannot close it.</summary>
    public static string SlackCode(string value) => value.Length == 0 ? string.Empty : "`" + SlackText(value).Replace('`', '\'') + "`";

    public static string Html(string value) => WebUtility.HtmlEncode(value);

    /// <summary>Slack plain_text (the header): nothing is parsed there, but line breaks and control characters are still shown as escapes.</summary>
    public static string PlainLine(string value) => TerminalText.Inert(value);

    public static string None(string value) => value;
}
