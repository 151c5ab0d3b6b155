using System.Text.RegularExpressions;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Yaml;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Conditions;

/// <summary>Turns a condition written in YAML into a <see cref="Condition"/>, reporting every mistake with its place.</summary>
internal sealed class ConditionCompiler(NamedLists lists, Diagnostics diagnostics)
{
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly string[] Operators =
        ["equals", "in", "glob", "regex", "prefix", "suffix", "contains", "cidr", "gt", "gte", "lt", "lte", "exists", "equals_field"];

    public Condition? Compile(YamlNode node, string where)
    {
        if (node is not YamlMappingNode map)
        {
            diagnostics.Add(node, $"{where} must be a condition: a mapping with all, any, not, or field and one operator");
            return null;
        }

        if (map.Get("all") is { } all)
        {
            return Combine(map, all, "all", parts => new AllCondition(parts));
        }

        if (map.Get("any") is { } any)
        {
            return Combine(map, any, "any", parts => new AnyCondition(parts));
        }

        if (map.Get("not") is { } not)
        {
            ExpectOnly(map, "not");
            return Compile(not, "not") is { } inner ? new NotCondition(inner) : null;
        }

        return Leaf(map, where);
    }

    private Condition? Combine(YamlMappingNode map, YamlNode list, string name, Func<IReadOnlyList<Condition>, Condition> create)
    {
        ExpectOnly(map, name);
        if (list is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            diagnostics.Add(list, $"{name} must be a non-empty list of conditions");
            return null;
        }

        var parts = sequence.Children.Select(child => Compile(child, name)).ToList();
        return parts.All(p => p is not null) ? create(parts!) : null;
    }

    private void ExpectOnly(YamlMappingNode map, string key)
    {
        if (map.Children.Count > 1)
        {
            map.RejectUnknownKeys(new HashSet<string> { key }, $"a '{key}' condition", diagnostics);
        }
    }

    private Condition? Leaf(YamlMappingNode map, string where)
    {
        map.RejectUnknownKeys(new HashSet<string>(Operators.Append("field")), where, diagnostics);
        var fieldNode = map.Get("field");
        if (fieldNode is null)
        {
            diagnostics.Add(map, $"{where}: a condition needs 'field' and one operator, or all / any / not");
            return null;
        }

        var field = ResolveField(fieldNode);
        var present = Operators.Where(op => map.Get(op) is not null).ToList();
        if (present.Count != 1)
        {
            diagnostics.Add(map, present.Count == 0
                ? $"condition on '{fieldNode}' needs one operator: {string.Join(", ", Operators)}"
                : $"condition on '{fieldNode}' has {present.Count} operators ({string.Join(", ", present)}); use all: to combine them");
            return null;
        }

        var op = present[0];
        var operand = map.Get(op)!;
        return field is null ? null : Build(field, op, operand);
    }

    private Field? ResolveField(YamlNode node)
    {
        var name = node.Scalar("field", diagnostics);
        if (name is null)
        {
            return null;
        }

        if (FieldCatalog.TryGet(name, out var field))
        {
            return field;
        }

        diagnostics.Add(node, $"unknown field '{name}' (see docs/rules.md for the fields rules can use)");
        return null;
    }

    private Condition? Build(Field field, string op, YamlNode operand)
    {
        switch (op)
        {
            case "exists":
                return operand.Boolean("exists", diagnostics) is { } expected ? new ExistsCondition(field, expected) : null;
            case "equals_field":
                return ResolveField(operand) is { } other ? new EqualsFieldCondition(field, other) : null;
            case "regex":
                return BuildRegex(field, operand);
            case "gt" or "gte" or "lt" or "lte":
                return BuildComparison(field, op, operand);
            case "equals":
                var value = operand.Scalar("equals", diagnostics);
                return value is null ? null : new LeafCondition(field, op, value, v => v == value);
        }

        var values = Values(operand, op);
        if (values is null)
        {
            return null;
        }

        var shown = operand is YamlScalarNode s ? s.Value! : "[" + string.Join(", ", values) + "]";
        switch (op)
        {
            case "in":
                var set = new HashSet<string>(values, StringComparer.Ordinal);
                return new LeafCondition(field, op, shown, set.Contains);
            case "prefix":
                return new LeafCondition(field, op, shown, v => ValueTests.StartsWithAny(v, values));
            case "suffix":
                return new LeafCondition(field, op, shown, v => ValueTests.EndsWithAny(v, values));
            case "contains":
                return new LeafCondition(field, op, shown, ValueTests.ContainsAny(values));
            case "glob":
                var globs = values.Select(WildcardPattern.Glob).ToArray();
                return new LeafCondition(field, op, shown, v => ValueTests.MatchesAny(v, globs));
            default:
                return BuildCidr(field, shown, values, operand);
        }
    }

    /// <summary>The operand as a list: one value, a list, or <c>$name</c> of a named list.</summary>
    private List<string>? Values(YamlNode operand, string op)
    {
        if (operand is YamlScalarNode { Value: { } text } && text.StartsWith('$'))
        {
            if (lists.TryGet(text[1..], out var named))
            {
                return [.. named];
            }

            diagnostics.Add(operand, $"unknown list '{text}' (define it under a top-level 'lists:' key in the rules directory)");
            return null;
        }

        var values = operand.Scalars(op, diagnostics);
        if (values.Count == 0)
        {
            diagnostics.Add(operand, $"{op} needs at least one value");
            return null;
        }

        return [.. values.Select(v => v.Value)];
    }

    private LeafCondition? BuildRegex(Field field, YamlNode operand)
    {
        var pattern = operand.Scalar("regex", diagnostics);
        if (pattern is null)
        {
            return null;
        }

        try
        {
            // The non-backtracking engine makes catastrophic backtracking impossible; the timeout bounds the rest.
            var regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, RegexTimeout);
            return new LeafCondition(field, "regex", pattern, v => SafeRegex.IsMatch(regex, v));
        }
        catch (ArgumentException ex)
        {
            diagnostics.Add(operand, $"invalid regex: {ex.Message}");
            return null;
        }
        catch (NotSupportedException ex)
        {
            diagnostics.Add(operand, $"regex uses a construct the safe engine does not support: {ex.Message}");
            return null;
        }
    }

    private LeafCondition? BuildComparison(Field field, string op, YamlNode operand)
    {
        var text = operand.Scalar(op, diagnostics);
        if (text is null)
        {
            return null;
        }

        if (ValueTests.Comparison(op, text) is not { } test)
        {
            diagnostics.Add(operand, $"{op} needs a number, not '{text}'");
            return null;
        }

        return new LeafCondition(field, op, text, test);
    }

    private LeafCondition? BuildCidr(Field field, string shown, List<string> values, YamlNode operand)
    {
        var (test, invalid) = ValueTests.Cidr(values);
        if (test is null)
        {
            diagnostics.Add(operand, $"'{invalid}' is not a CIDR range such as 10.0.0.0/8 or fd00::/8");
            return null;
        }

        return new LeafCondition(field, "cidr", shown, test);
    }
}
