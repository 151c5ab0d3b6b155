using System.Text.RegularExpressions;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Sigma;

/// <summary>
/// Compiles one Sigma search identifier: a map of <c>field|modifier…: value(s)</c> (all must hold), a list of such maps
/// (any), or keywords. Every construct AuditWatch cannot judge is reported with its place instead of being skipped.
/// </summary>
internal sealed class SigmaSelectionCompiler(Diagnostics diagnostics)
{
    private static readonly HashSet<string> ValueModifiers =
        ["contains", "startswith", "endswith", "re", "cidr", "exists", "gt", "gte", "lt", "lte", "fieldref"];

    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["base64"] = "Kubernetes audit fields are not base64-encoded",
        ["base64offset"] = "Kubernetes audit fields are not base64-encoded",
        ["utf16"] = "Kubernetes audit events are UTF-8 text",
        ["utf16le"] = "Kubernetes audit events are UTF-8 text",
        ["utf16be"] = "Kubernetes audit events are UTF-8 text",
        ["wide"] = "Kubernetes audit events are UTF-8 text",
        ["windash"] = "it applies to Windows command lines",
        ["expand"] = "placeholders need a pipeline configuration AuditWatch does not have",
        ["minute"] = "time-part modifiers are not implemented",
        ["hour"] = "time-part modifiers are not implemented",
        ["day"] = "time-part modifiers are not implemented",
        ["week"] = "time-part modifiers are not implemented",
        ["month"] = "time-part modifiers are not implemented",
        ["year"] = "time-part modifiers are not implemented",
    };

    public Condition? Compile(string name, YamlNode node)
    {
        var condition = node switch
        {
            YamlMappingNode map => Map(map),
            YamlSequenceNode { Children.Count: > 0 } list when list.Children.All(c => c is YamlMappingNode) =>
                Any(list.Children.Select(c => Map((YamlMappingNode)c)).ToList()),
            YamlSequenceNode { Children.Count: > 0 } list when list.Children.All(c => c is YamlScalarNode) =>
                Any(list.Children.Select(c => Keyword((YamlScalarNode)c)).ToList()),
            YamlScalarNode scalar => Keyword(scalar),
            _ => Report(node, $"search identifier '{name}' must be a map of fields, a list of maps, or a list of keywords"),
        };
        return condition is null ? null : new NamedCondition(name, condition);
    }

    private Condition? Report(YamlNode node, string message)
    {
        diagnostics.Add(node, message);
        return null;
    }

    private static Condition? Any(List<Condition?> parts) =>
        parts.Any(p => p is null) ? null : parts.Count == 1 ? parts[0] : new AnyCondition(parts!);

    private Condition? Map(YamlMappingNode map)
    {
        if (map.Children.Count == 0)
        {
            return Report(map, "a selection map must name at least one field");
        }

        var parts = map.Children.Select(pair => Entry(pair.Key, pair.Value)).ToList();
        return parts.Any(p => p is null) ? null : parts.Count == 1 ? parts[0] : new AllCondition(parts!);
    }

    private static Condition? Keyword(YamlScalarNode node)
    {
        var test = SigmaPattern.Compile(node.Value ?? string.Empty, SigmaStringMode.Contains, cased: false);
        return new KeywordCondition(node.Value ?? string.Empty, SigmaFields.KeywordFields, test);
    }

    private Condition? Entry(YamlNode keyNode, YamlNode valueNode)
    {
        if (keyNode is not YamlScalarNode { Value: { } key })
        {
            return Report(keyNode, "a selection key must be a field name with optional |modifiers");
        }

        var parts = key.Split('|');
        var fieldName = parts[0];
        var modifiers = parts.Skip(1).ToList();
        if (fieldName.Length == 0)
        {
            return Report(keyNode, $"'{key}': keyword modifiers without a field are not supported; name a field");
        }

        if (!SigmaFields.TryResolve(fieldName, out var field))
        {
            return Report(keyNode, SigmaFields.UnknownFieldMessage(fieldName));
        }

        if (!CheckModifiers(keyNode, key, modifiers))
        {
            return null;
        }

        var values = Values(valueNode, key);
        if (values is null)
        {
            return null;
        }

        var matchAll = modifiers.Contains("all");
        var tests = new List<Condition>();
        foreach (var (value, node) in values)
        {
            if (Value(field, modifiers, value, node, key) is not { } test)
            {
                return null;
            }

            tests.Add(test);
        }

        return tests.Count == 1 ? tests[0] : matchAll ? new AllCondition(tests) : new AnyCondition(tests);
    }

    private bool CheckModifiers(YamlNode keyNode, string key, List<string> modifiers)
    {
        var ok = true;
        foreach (var modifier in modifiers)
        {
            if (Unsupported.TryGetValue(modifier, out var why))
            {
                diagnostics.Add(keyNode, $"'{key}': modifier '{modifier}' is not supported by AuditWatch: {why}");
                ok = false;
            }
            else if (!ValueModifiers.Contains(modifier) && modifier is not ("all" or "cased" or "i" or "m" or "s"))
            {
                diagnostics.Add(keyNode, $"'{key}': unknown modifier '{modifier}' (supported: {string.Join(", ", ValueModifiers.Order(StringComparer.Ordinal))}, all, cased, and i, m, s after re)");
                ok = false;
            }
        }

        var valueKinds = modifiers.Where(ValueModifiers.Contains).ToList();
        if (valueKinds.Count > 1 && !(valueKinds.Count == 2 && valueKinds.Contains("fieldref") && valueKinds.Any(m => m is "contains" or "startswith" or "endswith")))
        {
            diagnostics.Add(keyNode, $"'{key}': modifiers {string.Join(" and ", valueKinds)} cannot be combined");
            ok = false;
        }

        if (modifiers.Any(m => m is "i" or "m" or "s") && !modifiers.Contains("re"))
        {
            diagnostics.Add(keyNode, $"'{key}': i, m and s are regular-expression flags; they need 're'");
            ok = false;
        }

        return ok;
    }

    /// <summary>The values of an entry; a null value stands for "the field is absent or empty".</summary>
    private List<(string? Value, YamlNode Node)>? Values(YamlNode node, string key)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return [(ScalarValue(scalar), scalar)];
            case YamlSequenceNode { Children.Count: > 0 } list when list.Children.All(c => c is YamlScalarNode):
                return [.. list.Children.Cast<YamlScalarNode>().Select(s => (ScalarValue(s), (YamlNode)s))];
            default:
                diagnostics.Add(node, $"'{key}' needs a value or a non-empty list of values");
                return null;
        }
    }

    private static string? ScalarValue(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "null" or "Null" or "NULL" or "~" ? null : scalar.Value ?? string.Empty;

    private Condition? Value(Field field, List<string> modifiers, string? value, YamlNode node, string key)
    {
        if (value is null)
        {
            return new ExistsCondition(field, false);
        }

        var cased = modifiers.Contains("cased");
        if (modifiers.Contains("exists"))
        {
            return bool.TryParse(value, out var expected) ? new ExistsCondition(field, expected) : Report(node, $"'{key}' needs true or false, not '{value}'");
        }

        if (modifiers.Contains("fieldref"))
        {
            return FieldReference(field, modifiers, value, node, cased);
        }

        if (modifiers.FirstOrDefault(m => m is "gt" or "gte" or "lt" or "lte") is { } comparison)
        {
            return ValueTests.Comparison(comparison, value) is { } compare
                ? new LeafCondition(field, comparison, value, compare)
                : Report(node, $"'{key}' needs a number, not '{value}'");
        }

        if (modifiers.Contains("cidr"))
        {
            var (test, invalid) = ValueTests.Cidr([value]);
            return test is not null ? new LeafCondition(field, "cidr", value, test) : Report(node, $"'{invalid}' is not a CIDR range such as 10.0.0.0/8");
        }

        if (modifiers.Contains("re"))
        {
            return Regex(field, modifiers, value, node);
        }

        var mode = modifiers.Contains("contains") ? SigmaStringMode.Contains
            : modifiers.Contains("startswith") ? SigmaStringMode.StartsWith
            : modifiers.Contains("endswith") ? SigmaStringMode.EndsWith
            : SigmaStringMode.Equals;
        var shownOperator = mode == SigmaStringMode.Equals ? "=" : mode.ToString().ToLowerInvariant();
        return new LeafCondition(field, cased ? shownOperator + " (cased)" : shownOperator, $"'{value}'", SigmaPattern.Compile(value, mode, cased));
    }

    private Condition? FieldReference(Field field, List<string> modifiers, string otherName, YamlNode node, bool cased)
    {
        if (!SigmaFields.TryResolve(otherName, out var other))
        {
            return Report(node, SigmaFields.UnknownFieldMessage(otherName));
        }

        if (!modifiers.Any(m => m is "contains" or "startswith" or "endswith") && cased)
        {
            return new EqualsFieldCondition(field, other);
        }

        var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        Func<string, string, bool> test = modifiers.Contains("contains") ? (v, o) => v.Contains(o, comparison)
            : modifiers.Contains("startswith") ? (v, o) => v.StartsWith(o, comparison)
            : modifiers.Contains("endswith") ? (v, o) => v.EndsWith(o, comparison)
            : (v, o) => string.Equals(v, o, comparison);
        return new FieldReferenceCondition(field, other, test);
    }

    private Condition? Regex(Field field, List<string> modifiers, string pattern, YamlNode node)
    {
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant
            | (modifiers.Contains("i") ? RegexOptions.IgnoreCase : RegexOptions.None)
            | (modifiers.Contains("m") ? RegexOptions.Multiline : RegexOptions.None)
            | (modifiers.Contains("s") ? RegexOptions.Singleline : RegexOptions.None);
        try
        {
            var regex = new Regex(pattern, options, ConditionCompiler.RegexTimeout);
            return new LeafCondition(field, "re", pattern, v => SafeRegex.IsMatch(regex, v));
        }
        catch (ArgumentException ex)
        {
            return Report(node, $"invalid regular expression: {ex.Message}");
        }
        catch (NotSupportedException ex)
        {
            return Report(node, $"regular expression uses a construct the safe (non-backtracking) engine does not support: {ex.Message}");
        }
    }
}
