namespace AuditWatch.Rules.Conditions;

/// <summary>
/// A whole-value pattern of literal characters, <c>?</c> (exactly one character) and <c>*</c> (any run, empty too),
/// matched without a regex: nothing to build but the token list, no allocation per match, and at worst
/// pattern × value steps. A regex per glob cost up to megabytes to construct, and a long glob failed to construct.
/// </summary>
internal sealed class WildcardPattern
{
    private readonly string _text;
    private readonly WildcardToken[] _tokens;
    private readonly bool _ignoreCase;

    private WildcardPattern(string text, WildcardToken[] tokens, bool ignoreCase)
    {
        _text = text;
        _tokens = tokens;
        _ignoreCase = ignoreCase;
    }

    /// <summary>A native rule glob: every <c>*</c> and <c>?</c> is a wildcard, comparison is ordinal.</summary>
    public static WildcardPattern Glob(string pattern) =>
        new(pattern, [.. pattern.Select(c => c switch { '*' => WildcardToken.AnyRun, '?' => WildcardToken.AnyOne, _ => WildcardToken.Literal })], ignoreCase: false);

    /// <summary>From a text and, per character, whether it is a literal or a wildcard (escapes already resolved).</summary>
    public static WildcardPattern Of(string text, WildcardToken[] tokens, bool ignoreCase) =>
        text.Length == tokens.Length ? new(text, tokens, ignoreCase) : throw new ArgumentException("one token per character", nameof(tokens));

    public bool IsMatch(string value)
    {
        int p = 0, v = 0, star = -1, starValue = 0;
        while (v < value.Length)
        {
            if (p < _tokens.Length && (_tokens[p] == WildcardToken.AnyOne || (_tokens[p] == WildcardToken.Literal && Same(_text[p], value[v]))))
            {
                p++;
                v++;
            }
            else if (p < _tokens.Length && _tokens[p] == WildcardToken.AnyRun)
            {
                star = p++;
                starValue = v;
            }
            else if (star >= 0)
            {
                // Let the last '*' take one more character and retry from there: earlier stars never need to change.
                p = star + 1;
                v = ++starValue;
            }
            else
            {
                return false;
            }
        }

        while (p < _tokens.Length && _tokens[p] == WildcardToken.AnyRun)
        {
            p++;
        }

        return p == _tokens.Length;
    }

    private bool Same(char a, char b) => a == b || (_ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}

internal enum WildcardToken : byte
{
    Literal,
    AnyOne,
    AnyRun,
}
