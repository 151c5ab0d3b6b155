namespace AuditWatch.Rules.Tests;

/// <summary>Tests that read the process-wide regex timeout count run alone, so no other test's timeout lands in it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RegexTimeoutCount
{
    public const string Name = "regex timeout count";
}
