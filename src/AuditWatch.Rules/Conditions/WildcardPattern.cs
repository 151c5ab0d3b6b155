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

    // The literal runs at either end, and the fewest characters a match has: most values a rule tests fail on these,
    // which compare as whole spans, before the walk below compares a character at a time.
    private readonly int _prefixLength;
    private readonly int _suffixLength;
    private readonly int _fewestCharacters;

    private WildcardPattern(string text, WildcardToken[] tokens, bool ignoreCase)
    {
        _text = text;
        _tokens = tokens;
        _ignoreCase = ignoreCase;
        _prefixLength = Array.FindIndex(tokens, t => t != WildcardToken.Literal) is var first and >= 0 ? first : tokens.Length;
        _suffixLength = tokens.Length - 1 - Array.FindLastIndex(tokens, t => t != WildcardToken.Literal);
        _fewestCharacters = tokens.Count(t => t != WildcardToken.AnyRun);
    }

    /// <summary>A native rule glob: every <c>*</c> and <c>?</c> is a wildcard, comparison is ordinal.</summary>
    public static WildcardPattern Glob(string pattern) =>
        new(pattern, [.. pattern.Select(c => c switch { '*' => WildcardToken.AnyRun, '?' => WildcardToken.AnyOne, _ => WildcardToken.Literal })], ignoreCase: false);

    /// <summary>From a text and, per character, whether it is a literal or a wildcard (escapes already resolved).</summary>
    public static WildcardPattern Of(string text, WildcardToken[] tokens, bool ignoreCase) =>
        text.Length == tokens.Length ? new(text, tokens, ignoreCase) : throw new ArgumentException("one token per character", nameof(tokens));

    public bool IsMatch(string value)
    {
        var hasAnyRun = _fewestCharacters < _tokens.Length;
        if (hasAnyRun ? value.Length < _fewestCharacters : value.Length != _tokens.Length)
        {
            return false;
        }

        if (_ignoreCase)
        {
            return Walk(value, 0);
        }

        var text = _text.AsSpan();
        return value.AsSpan(0, _prefixLength).SequenceEqual(text[.._prefixLength])
            && value.AsSpan(value.Length - _suffixLength).SequenceEqual(text[^_suffixLength..])
            && Walk(value, _prefixLength);
    }

    // From a point the two agree up to, with no '*' before it: each '*' first takes nothing, then one more character
    // each time what follows it fails.
    private bool Walk(string value, int from)
    {
        int p = from, v = from, star = -1, starValue = 0;
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
