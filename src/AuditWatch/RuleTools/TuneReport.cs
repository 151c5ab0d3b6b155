using AuditWatch.Rules.Model;

namespace AuditWatch.RuleTools;

/// <summary>What <c>AuditWatch tune</c> finds for one rule.</summary>
internal sealed record TuneReport(
    string Rule,
    string Title,
    RuleFormat Format,
    string Kind,
    int Incidents,
    IReadOnlyDictionary<string, int> BySeverity,
    IReadOnlyList<(string User, int Incidents)> TopIdentities,
    MeasuredDistribution? Measured,
    int? SuggestedThreshold,
    IReadOnlyList<string> CandidateExclusions);

/// <summary>The measured value (distinct values or requests) per group per window.</summary>
internal sealed record MeasuredDistribution(string Measure, string Window, int Count, double P50, double P90, double P99, double Max);
