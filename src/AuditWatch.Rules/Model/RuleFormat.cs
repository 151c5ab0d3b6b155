namespace AuditWatch.Rules.Model;

public enum RuleFormat
{
    Native,
    Sigma,
}
