using System.Globalization;
using System.Text;

namespace AuditWatch.Alerting.Formatting;

/// <summary>
/// Makes text from audit events inert on a terminal or in a line-based log: line breaks, ANSI escape sequences and
/// other control characters, and bidirectional overrides are shown as escapes, so a user or object name cannot
/// forge an extra line, recolour or clear the screen, or reorder what is displayed.
/// </summary>
public static class TerminalText
{
    public static string Inert(string value)
    {
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ when IsBidiControl(c) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || IsBidiControl(c);

    private static bool IsBidiControl(char c) => c is '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}
