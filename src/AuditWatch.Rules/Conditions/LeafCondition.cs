using AuditWatch.Core.Requests;
using AuditWatch.Rules.Fields;

namespace AuditWatch.Rules.Conditions;

/// <summary><c>{ field: NAME, OPERATOR: VALUE }</c>: holds when any value of the field passes the test.</summary>
public sealed class LeafCondition(Field target, string operatorName, string operand, Func<string, bool> test) : Condition
{
    public Field Field => target;

    public override string Text => $"{target.Name} {operatorName} {operand}";

    public override bool Matches(ApiRequest request) => target.Any(request, test);
}

/// <summary><c>exists: true|false</c>.</summary>
public sealed class ExistsCondition(Field target, bool expected) : Condition
{
    public Field Field => target;

    public override string Text => $"{target.Name} exists {(expected ? "true" : "false")}";

    public override bool Matches(ApiRequest request) => (target.First(request) is { Length: > 0 }) == expected;
}

/// <summary><c>equals_field: OTHER</c>: compares two fields of the same request.</summary>
public sealed class EqualsFieldCondition(Field target, Field other) : Condition
{
    public IReadOnlyList<Field> Fields => [target, other];

    public override string Text => $"{target.Name} equals_field {other.Name}";

    // The prometheus-operator exception of secret-read-burst judges this on each of the operator's reads (hundreds a
    // minute): no list or delegate is made for it.
    public override bool Matches(ApiRequest request)
    {
        if (!target.IsMultiValued)
        {
            return target.First(request) is { } value && other.Has(request, value);
        }

        var values = target.All(request);
        for (var i = 0; i < values.Count; i++)
        {
            if (other.Has(request, values[i]))
            {
                return true;
            }
        }

        return false;
    }
}
