using System.Text;
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
        var (literal, pattern) = Parse(raw);
        if (pattern is null)
        {
            return mode switch
            {
                SigmaStringMode.Contains => v => v.Contains(literal, comparison),
                SigmaStringMode.StartsWith => v => v.StartsWith(literal, comparison),
                SigmaStringMode.EndsWith => v => v.EndsWith(literal, comparison),
                _ => v => string.Equals(v, literal, comparison),
            };
        }

        // contains, endswith: any run before; contains, startswith: any run after.
        var before = mode is SigmaStringMode.Contains or SigmaStringMode.EndsWith ? "*" : string.Empty;
        var after = mode is SigmaStringMode.Contains or SigmaStringMode.StartsWith ? "*" : string.Empty;
        var (text, wildcards) = pattern.Value;
        WildcardToken[] tokens = [.. before.Select(_ => WildcardToken.AnyRun), .. wildcards, .. after.Select(_ => WildcardToken.AnyRun)];
        var compiled = WildcardPattern.Of(before + text + after, tokens, ignoreCase: !cased);
        return compiled.IsMatch;
    }

    /// <summary>The value without escapes, and its wildcard pattern when it holds wildcards (null otherwise).</summary>
    private static (string Literal, (string Text, List<WildcardToken> Tokens)? Pattern) Parse(string raw)
    {
        var literal = new StringBuilder(raw.Length);
        var text = new StringBuilder(raw.Length);
        var tokens = new List<WildcardToken>(raw.Length);
        var wildcards = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length && raw[i + 1] is '*' or '?' or '\\')
            {
                literal.Append(raw[i + 1]);
                text.Append(raw[i + 1]);
                tokens.Add(WildcardToken.Literal);
                i++;
            }
            else if (c is '*' or '?')
            {
                wildcards = true;
                text.Append(c);
                tokens.Add(c == '*' ? WildcardToken.AnyRun : WildcardToken.AnyOne);
            }
            else
            {
                literal.Append(c);
                text.Append(c);
                tokens.Add(WildcardToken.Literal);
            }
        }

        return (literal.ToString(), wildcards ? (text.ToString(), tokens) : null);
    }
}
