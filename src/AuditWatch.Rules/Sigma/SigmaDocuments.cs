using AuditWatch.Core.Alerts;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Testing;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Sigma;

/// <summary>What every Sigma document carries: where it is, how to name it, and its descriptive attributes.</summary>
internal sealed record SigmaHeader(
    string File,
    string FileText,
    YamlMappingNode Root,
    string? Id,
    string? Name,
    string Title,
    string Description,
    Severity? Level,
    string? Author,
    IReadOnlyList<string> Tags,
    IReadOnlyList<RuleTestCase> Tests);

/// <summary>A Sigma detection rule: one condition over one request.</summary>
internal sealed record SigmaDetection(SigmaHeader Header, Condition Condition);

internal enum SigmaCorrelationType
{
    EventCount,
    ValueCount,
    Temporal,
    TemporalOrdered,
}

/// <summary>A Sigma correlation rule, read but not yet joined to the rules it refers to.</summary>
internal sealed record SigmaCorrelation(
    SigmaHeader Header,
    SigmaCorrelationType Type,
    IReadOnlyList<(string Reference, YamlNode Node)> Rules,
    IReadOnlyList<(string Name, YamlNode Node)> GroupBy,
    TimeSpan Timespan,
    int? AtLeast,
    (string Name, YamlNode Node)? Field,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Aliases,
    bool Generate);
