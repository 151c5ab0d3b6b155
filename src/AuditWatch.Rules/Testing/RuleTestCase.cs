using AuditWatch.Core.Events;

namespace AuditWatch.Rules.Testing;

/// <summary>One test case of a rule: events (inline or a fixture file) and the incidents the rule must raise.</summary>
public sealed record RuleTestCase(
    string Name,
    string SourceFile,
    long Line,
    IReadOnlyList<AuditEvent> Events,
    string? FixturePath,
    IReadOnlyList<ExpectedIncident> Expect);
