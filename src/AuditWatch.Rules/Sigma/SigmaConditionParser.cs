using System.Text.RegularExpressions;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Sigma;

/// <summary>
/// Parses a Sigma <c>condition</c>: search identifiers combined with <c>and</c>, <c>or</c>, <c>not</c>, parentheses,
/// <c>1 of</c> / <c>all of</c> a name pattern (wildcards) or <c>them</c>. Precedence: not, and, or. The deprecated
/// aggregation (<c>| count() …</c>) and <c>near</c> are reported: correlation rules replace them.
/// </summary>
internal sealed class SigmaConditionParser
{
    private readonly IReadOnlyDictionary<string, Condition> _identifiers;
    private readonly Diagnostics _diagnostics;
    private readonly YamlScalarNode _node;
    private readonly List<(string Text, int Position)> _tokens;
    /// <summary>Parentheses and 'not' nest by recursion, here and when the condition is evaluated.</summary>
    private const int MaxDepth = 64;

    private int _next;
    private int _depth;
    private bool _failed;

    private SigmaConditionParser(string text, IReadOnlyDictionary<string, Condition> identifiers, Diagnostics diagnostics, YamlScalarNode node)
    {
        _identifiers = identifiers;
        _diagnostics = diagnostics;
        _node = node;
        _tokens = Tokenize(text);
    }

    public static Condition? Parse(YamlScalarNode node, IReadOnlyDictionary<string, Condition> identifiers, Diagnostics diagnostics)
    {
        var parser = new SigmaConditionParser(node.Value ?? string.Empty, identifiers, diagnostics, node);
        if (parser._tokens.Count == 0)
        {
            diagnostics.Add(node, "condition is empty");
            return null;
        }

        var condition = parser.Or();
        if (!parser._failed && parser._next < parser._tokens.Count)
        {
            var token = parser._tokens[parser._next].Text;
            parser.Fail(token is "|" || string.Equals(token, "near", StringComparison.OrdinalIgnoreCase)
                ? Deprecated(token)
                : $"unexpected '{token}' after a complete condition");
        }

        return parser._failed ? null : condition;
    }

    private static List<(string, int)> Tokenize(string text)
    {
        var tokens = new List<(string, int)>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (text[i] is '(' or ')' or '|')
            {
                tokens.Add((text[i].ToString(), i));
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '|'))
                {
                    i++;
                }

                tokens.Add((text[start..i], start));
            }
        }

        return tokens;
    }

    private string? Peek => _next < _tokens.Count ? _tokens[_next].Text : null;

    private bool PeekIs(string keyword) => string.Equals(Peek, keyword, StringComparison.OrdinalIgnoreCase);

    private Condition? Or()
    {
        var parts = new List<Condition?> { And() };
        while (!_failed && PeekIs("or"))
        {
            _next++;
            parts.Add(And());
        }

        return Combine(parts, p => new AnyCondition(p));
    }

    private Condition? And()
    {
        var parts = new List<Condition?> { Not() };
        while (!_failed && PeekIs("and"))
        {
            _next++;
            parts.Add(Not());
        }

        return Combine(parts, p => new AllCondition(p));
    }

    private Condition? Combine(List<Condition?> parts, Func<IReadOnlyList<Condition>, Condition> create) =>
        _failed || parts.Any(p => p is null) ? null : parts.Count == 1 ? parts[0] : create(parts!);

    private Condition? Not()
    {
        if (PeekIs("not"))
        {
            _next++;
            return Nested(Not) is { } inner ? new NotCondition(inner) : null;
        }

        return Primary();
    }

    private Condition? Nested(Func<Condition?> parse)
    {
        if (++_depth > MaxDepth)
        {
            return Fail($"condition nests parentheses and 'not' deeper than {MaxDepth} levels");
        }

        var condition = parse();
        _depth--;
        return condition;
    }

    private Condition? Primary()
    {
        var token = Peek;
        switch (token)
        {
            case null:
                return Fail("condition ends where a search identifier, 'not', '1 of', 'all of' or '(' was expected");
            case "(":
                _next++;
                var inner = Nested(Or);
                if (_failed)
                {
                    return null;
                }

                if (Peek != ")")
                {
                    return Fail("missing ')'");
                }

                _next++;
                return inner;
            case ")":
                return Fail("unexpected ')'");
            case "|":
                return Fail(Deprecated(token));
        }

        if (string.Equals(token, "near", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(Deprecated(token));
        }

        if (string.Equals(token, "and", StringComparison.OrdinalIgnoreCase) || string.Equals(token, "or", StringComparison.OrdinalIgnoreCase))
        {
            return Fail($"'{token}' needs a condition before it");
        }

        if (_next + 1 < _tokens.Count && string.Equals(_tokens[_next + 1].Text, "of", StringComparison.OrdinalIgnoreCase))
        {
            return Quantified(token);
        }

        if (token.Contains('*'))
        {
            return Fail($"'{token}' is a pattern; use it as '1 of {token}' or 'all of {token}'");
        }

        if (!_identifiers.TryGetValue(token, out var condition))
        {
            return Fail($"unknown search identifier '{token}' (defined: {string.Join(", ", _identifiers.Keys)})");
        }

        _next++;
        return condition;
    }

    private Condition? Quantified(string quantifier)
    {
        var all = string.Equals(quantifier, "all", StringComparison.OrdinalIgnoreCase);
        if (!all && quantifier != "1")
        {
            return Fail($"'{quantifier} of' is not Sigma: use '1 of' or 'all of'");
        }

        _next += 2;
        if (Peek is not { } pattern || pattern is "(" or ")" or "|")
        {
            return Fail($"'{quantifier} of' needs a search identifier pattern or 'them'");
        }

        var them = string.Equals(pattern, "them", StringComparison.OrdinalIgnoreCase);
        var matcher = them ? null : new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);

        // "them" leaves out identifiers starting with an underscore, as the Sigma specification says.
        var chosen = _identifiers
            .Where(pair => them ? !pair.Key.StartsWith('_') : matcher!.IsMatch(pair.Key))
            .Select(pair => pair.Value)
            .ToList();
        if (chosen.Count == 0)
        {
            return Fail($"'{quantifier} of {pattern}' matches no search identifier (defined: {string.Join(", ", _identifiers.Keys)})");
        }

        _next++;
        return chosen.Count == 1 ? chosen[0] : all ? new AllCondition(chosen) : new AnyCondition(chosen);
    }

    private static string Deprecated(string token) => token == "|"
        ? "the aggregation '| …' is Sigma's deprecated syntax and is not supported: write a correlation rule (event_count, value_count) instead"
        : "'near' is Sigma's deprecated syntax and is not supported: write a temporal correlation rule instead";

    private Condition? Fail(string message)
    {
        if (!_failed)
        {
            var position = _next < _tokens.Count ? _tokens[_next].Position : (_node.Value ?? string.Empty).Length;
            var singleLine = _node.Start.Line == _node.End.Line;
            var quote = _node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
            var column = singleLine ? _node.Start.Column + quote + position : _node.Start.Column;
            _diagnostics.Add(_node.Start.Line, column, $"condition: {message}");
        }

        _failed = true;
        return null;
    }
}
