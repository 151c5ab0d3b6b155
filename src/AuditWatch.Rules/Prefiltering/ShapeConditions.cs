using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Rules.Prefiltering;

/// <summary>
/// The part of a condition that reads only shape fields, loosened so that it holds whenever the whole does: a
/// necessary condition whose value is the same for every request of one shape.
/// </summary>
public static class ShapeConditions
{
    /// <summary>What must hold for <paramref name="condition"/> to hold, from shape fields alone; true when nothing can be said.</summary>
    public static Condition NecessaryPart(Condition condition) => condition switch
    {
        _ when IsShapeOnly(condition) => condition,
        AllCondition all => AllOf(all.Parts.Select(NecessaryPart)),
        AnyCondition any => AnyOf(any.Parts.Select(NecessaryPart)),
        NamedCondition named => NecessaryPart(named.Inner),

        // A negation, or anything reading other fields, rules nothing out by its shape alone.
        _ => TrueCondition.Instance,
    };

    /// <summary>Whether the condition's value depends on shape fields only (false for kinds it does not know).</summary>
    public static bool IsShapeOnly(Condition condition) => condition switch
    {
        TrueCondition => true,
        LeafCondition leaf => leaf.Field.OfShape,
        ExistsCondition exists => exists.Field.OfShape,
        EqualsFieldCondition equals => equals.Fields.All(f => f.OfShape),
        AllCondition all => all.Parts.All(IsShapeOnly),
        AnyCondition any => any.Parts.All(IsShapeOnly),
        NotCondition not => IsShapeOnly(not.Inner),
        NamedCondition named => IsShapeOnly(named.Inner),
        _ => false,
    };

    public static Condition AllOf(IEnumerable<Condition> parts)
    {
        var kept = parts.Where(p => p is not TrueCondition).ToList();
        return kept.Count switch
        {
            0 => TrueCondition.Instance,
            1 => kept[0],
            _ => new AllCondition(kept),
        };
    }

    public static Condition AnyOf(IEnumerable<Condition> parts)
    {
        var all = parts.ToList();
        return all.Count == 0 || all.Any(p => p is TrueCondition) ? TrueCondition.Instance : all.Count == 1 ? all[0] : new AnyCondition(all);
    }
}
