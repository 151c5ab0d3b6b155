using AuditWatch.Core.Requests;

namespace AuditWatch.Rules.Conditions;

/// <summary>A compiled condition over a normalized request; <see cref="Text"/> shows it as the rule wrote it.</summary>
public abstract class Condition
{
    public abstract string Text { get; }

    public abstract bool Matches(ApiRequest request);

    public override string ToString() => Text;
}

public sealed class AllCondition(IReadOnlyList<Condition> parts) : Condition
{
    public IReadOnlyList<Condition> Parts => parts;

    public override string Text => "all(" + string.Join(", ", parts.Select(p => p.Text)) + ")";

    public override bool Matches(ApiRequest request)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            if (!parts[i].Matches(request))
            {
                return false;
            }
        }

        return true;
    }
}

public sealed class AnyCondition(IReadOnlyList<Condition> parts) : Condition
{
    public IReadOnlyList<Condition> Parts => parts;

    public override string Text => "any(" + string.Join(", ", parts.Select(p => p.Text)) + ")";

    public override bool Matches(ApiRequest request)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Matches(request))
            {
                return true;
            }
        }

        return false;
    }
}

public sealed class NotCondition(Condition inner) : Condition
{
    public Condition Inner => inner;

    public override string Text => $"not({inner.Text})";

    public override bool Matches(ApiRequest request) => !inner.Matches(request);
}

/// <summary>Always true: a rule without <c>where</c> looks at every request.</summary>
public sealed class TrueCondition : Condition
{
    public static readonly TrueCondition Instance = new();

    public override string Text => "true";

    public override bool Matches(ApiRequest request) => true;
}
