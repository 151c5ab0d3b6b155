using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Pipeline;

/// <summary>A rule starting or stopping in a running pipeline; <see cref="Key"/> is its id and definition.</summary>
public sealed record RuleChange(string Key, Rule Rule, bool Started)
{
    /// <summary>What to stop and start to go from the current rules to <paramref name="next"/>; unchanged rules are left alone.</summary>
    public static (IReadOnlyDictionary<string, Rule> Current, IReadOnlyList<RuleChange> Changes) Between(IReadOnlyDictionary<string, Rule> current, IReadOnlyList<Rule> next)
    {
        var wanted = next.ToDictionary(KeyOf, StringComparer.Ordinal);
        var changes = current.Keys.Except(wanted.Keys).Select(key => new RuleChange(key, current[key], Started: false))
            .Concat(wanted.Keys.Except(current.Keys).Select(key => new RuleChange(key, wanted[key], Started: true)))
            .ToList();
        return (wanted, changes);
    }

    /// <summary>A rule's id and definition: what must differ for a rule to count as another.</summary>
    internal static string KeyOf(Rule rule) => rule.Id + "\n" + rule.Definition;
}
