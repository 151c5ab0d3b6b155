namespace AuditWatch.Rules.Loading;

/// <summary>One problem in a rules file, at the exact place it was found.</summary>
public sealed record RuleError(string File, long Line, long Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
