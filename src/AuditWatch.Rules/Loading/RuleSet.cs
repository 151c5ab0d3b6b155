using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Model;

namespace AuditWatch.Rules.Loading;

/// <summary>The rules of a directory, with every error found in it; rules are usable only when there are none.</summary>
public sealed record RuleSet(IReadOnlyList<Rule> Rules, NamedLists Lists, IReadOnlyList<RuleError> Errors, IReadOnlyList<string> Files)
{
    public bool IsValid => Errors.Count == 0;

    public IReadOnlyList<Rule> Enabled => [.. Rules.Where(r => r.Enabled)];
}
