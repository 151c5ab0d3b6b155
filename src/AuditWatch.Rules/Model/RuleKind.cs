namespace AuditWatch.Rules.Model;

public enum RuleKind
{
    Match,
    Threshold,
    Distinct,
    FirstSeen,
    Sequence,
    Spike,
}
