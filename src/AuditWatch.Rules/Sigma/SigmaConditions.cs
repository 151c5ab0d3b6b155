using AuditWatch.Core.Requests;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;

namespace AuditWatch.Rules.Sigma;

/// <summary>A Sigma search identifier (selection, filter…) by name, so explanations read like the rule.</summary>
public sealed class NamedCondition(string name, Condition inner) : Condition
{
    public string Name => name;

    public Condition Inner => inner;

    public override string Text => $"{name}: {inner.Text}";

    public override bool Matches(ApiRequest request) => inner.Matches(request);
}

/// <summary>A Sigma keyword: a value searched in every text field of the request.</summary>
public sealed class KeywordCondition(string keyword, IReadOnlyList<Field> fields, Func<string, bool> test) : Condition
{
    public override string Text => $"keyword '{keyword}'";

    public override bool Matches(ApiRequest request)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Any(request, test))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>field|fieldref</c>: compares a field with another field of the same request.</summary>
public sealed class FieldReferenceCondition(Field target, Field other, Func<string, string, bool> test) : Condition
{
    public override string Text => $"{target.Name} fieldref {other.Name}";

    public override bool Matches(ApiRequest request)
    {
        var values = target.All(request);
        var others = other.All(request);
        for (var i = 0; i < values.Count; i++)
        {
            for (var j = 0; j < others.Count; j++)
            {
                if (test(values[i], others[j]))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
