using System.Text.RegularExpressions;
using AuditWatch.Alerting.Routing;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Silences;

/// <summary>One matcher of a silence, as Alertmanager writes them: <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c>, <c>name!~regex</c>.</summary>
public sealed record Matcher(string Name, string Value, bool IsRegex, bool Negate)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    public static Matcher? Parse(string text, List<string> errors)
    {
        foreach (var (op, regex, negate) in new[] { ("!~", true, true), ("=~", true, false), ("!=", false, true), ("=", false, false) })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }

            var matcher = new Matcher(text[..at].Trim(), text[(at + op.Length)..].Trim(), regex, negate);
            if (regex)
            {
                try
                {
                    _ = new Regex(matcher.Value, RegexOptions.NonBacktracking, RegexTimeout);
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"matcher '{text}': invalid regex: {ex.Message}");
                    return null;
                }
            }

            return matcher;
        }

        errors.Add($"matcher '{text}' must look like name=value, name!=value, name=~regex or name!~regex");
        return null;
    }

    public bool Matches(Alert alert)
    {
        var value = AlertLabels.Value(alert, Name) ?? string.Empty;
        bool equal;
        try
        {
            equal = IsRegex
                ? Regex.IsMatch(value, "^(?:" + Value + ")$", RegexOptions.NonBacktracking, RegexTimeout)
                : value == Value;
        }
        catch (RegexMatchTimeoutException)
        {
            equal = false;
        }

        return equal != Negate;
    }

    public override string ToString() => $"{Name}{(Negate ? "!" : "=")}{(IsRegex ? "~" : string.Empty)}{Value}";
}
