using AuditWatch.Cli;

namespace AuditWatch.Hosting;

/// <summary>What <c>run</c>'s own options asked for; everything else is configuration.</summary>
public sealed record RunRequest(OutputFormat? Output, string? RulesDirectory);
