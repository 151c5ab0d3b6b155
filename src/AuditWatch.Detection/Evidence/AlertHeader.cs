using AuditWatch.Core.Alerts;

namespace AuditWatch.Detection.Evidence;

/// <summary>The parts of an alert that come from the rule rather than from the events.</summary>
public sealed record AlertHeader(
    string RuleId,
    string Title,
    Severity Severity,
    IReadOnlyDictionary<string, string> Labels,
    string? RunbookUrl);
