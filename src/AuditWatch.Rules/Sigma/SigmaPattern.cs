using System.Text;
using System.Text.RegularExpressions;
using AuditWatch.Rules.Conditions;

namespace AuditWatch.Rules.Sigma;

/// <summary>How a Sigma string value is compared: whole value, or with contains/startswith/endswith.</summary>
internal enum SigmaStringMode
{
    Equals,
    Contains,
    StartsWith,
    EndsWith,
}

/// <summary>
/// A Sigma string value: <c>*</c> and <c>?</c> are wildcards unless escaped with a backslash (<c>\*</c>, <c>\?</c>,
/// <c>\\</c>); comparison ignores case unless the <c>cased</c> modifier is given, as the Sigma specification says.
/// </summary>
internal static class SigmaPattern
{
    public static Func<string, bool> Compile(string raw, SigmaStringMode mode, bool cased)
    {
        var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var (literal, regex) = Parse(raw);
        if (regex is null)
        {
            return mode switch
            {
                SigmaStringMode.Contains => v => v.Contains(literal, comparison),
                SigmaStringMode.StartsWith => v => v.StartsWith(literal, comparison),
                SigmaStringMode.EndsWith => v => v.EndsWith(literal, comparison),
                _ => v => string.Equals(v, literal, comparison),
            };
        }

        var pattern = "^"
            + (mode is SigmaStringMode.Contains or SigmaStringMode.EndsWith ? ".*" : string.Empty)
            + regex
            + (mode is SigmaStringMode.Contains or SigmaStringMode.StartsWith ? ".*" : string.Empty)
            + "$";
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline
            | (cased ? RegexOptions.None : RegexOptions.IgnoreCase);
        var compiled = new Regex(pattern, options, ConditionCompiler.RegexTimeout);
        return v => SafeRegex.IsMatch(compiled, v);
    }

    /// <summary>The value without escapes, and a regex when it holds wildcards (null otherwise).</summary>
    private static (string Literal, string? Regex) Parse(string raw)
    {
        var literal = new StringBuilder(raw.Length);
        var regex = new StringBuilder(raw.Length + 8);
        var wildcards = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length && raw[i + 1] is '*' or '?' or '\\')
            {
                literal.Append(raw[i + 1]);
                regex.Append(Regex.Escape(raw[i + 1].ToString()));
                i++;
            }
            else if (c is '*' or '?')
            {
                wildcards = true;
                regex.Append(c == '*' ? ".*" : ".");
            }
            else
            {
                literal.Append(c);
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return (literal.ToString(), wildcards ? regex.ToString() : null);
    }
}
