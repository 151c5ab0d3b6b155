using AuditWatch.Cli;

namespace AuditWatch.Replay;

internal sealed record ReplayRequest(IReadOnlyList<string> Paths, OutputFormat Output, string? RulesDirectory, string? DataDirectory, TimeSpan AllowedLateness);
