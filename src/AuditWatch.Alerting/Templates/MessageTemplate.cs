using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Templates;

/// <summary>
/// Message text with <c>{{placeholder}}</c> substitution and nothing else: no expressions, no loops, no code. Each
/// value is escaped for the sink's format (Slack mrkdwn, HTML) when it is inserted, so a user name or user agent cannot
/// inject links or markup. Unknown placeholders are rejected when the template is parsed (at start-up).
/// </summary>
public sealed partial class MessageTemplate
{
    private static readonly Dictionary<string, Func<Alert, string>> Values = new(StringComparer.Ordinal)
    {
        ["rule"] = a => a.Rule,
        ["title"] = a => a.Title,
        ["severity"] = a => a.Severity.ToString().ToUpperInvariant(),
        ["status"] = a => a.Status.ToString().ToLowerInvariant(),
        ["user"] = a => a.User,
        ["impersonatedUser"] = a => a.ImpersonatedUser ?? string.Empty,
        ["who"] = a => a.ImpersonatedUser is null ? a.User : $"{a.User} as {a.ImpersonatedUser}",
        ["summary"] = a => a.Summary,
        ["count"] = a => a.Count.ToString(CultureInfo.InvariantCulture),
        ["distinctObjects"] = a => a.DistinctObjects.ToString(CultureInfo.InvariantCulture),
        ["namespaces"] = a => string.Join(", ", a.Namespaces),
        ["sourceIPs"] = a => string.Join(", ", a.SourceIps),
        ["userAgents"] = a => string.Join(", ", a.UserAgents),
        ["firstSeen"] = a => a.FirstSeen.UtcDateTime.ToString("u", CultureInfo.InvariantCulture),
        ["lastSeen"] = a => a.LastSeen.UtcDateTime.ToString("u", CultureInfo.InvariantCulture),
        ["incidentId"] = a => a.IncidentId,
        ["runbookUrl"] = a => a.RunbookUrl ?? string.Empty,
    };

    private readonly IReadOnlyList<(string Text, Func<Alert, string>? Value)> _parts;

    private MessageTemplate(string source, IReadOnlyList<(string, Func<Alert, string>?)> parts)
    {
        Source = source;
        _parts = parts;
    }

    public string Source { get; }

    public static IReadOnlyCollection<string> Placeholders => Values.Keys;

    /// <summary>Parses a template; errors name each unknown placeholder.</summary>
    public static MessageTemplate Parse(string template, string setting, List<string> errors)
    {
        var parts = new List<(string, Func<Alert, string>?)>();
        var position = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            parts.Add((template[position..match.Index], null));
            var name = match.Groups["name"].Value;
            if (Values.TryGetValue(name, out var value))
            {
                parts.Add((string.Empty, value));
            }
            else
            {
                errors.Add($"{setting}: unknown placeholder {{{{{name}}}}} (known: {string.Join(", ", Values.Keys)})");
            }

            position = match.Index + match.Length;
        }

        parts.Add((template[position..], null));
        return new MessageTemplate(template, parts);
    }

    public string Render(Alert alert, Func<string, string> escape)
    {
        var text = new StringBuilder();
        foreach (var (literal, value) in _parts)
        {
            text.Append(value is null ? literal : escape(value(alert)));
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
