namespace AuditWatch.Fuzzing.Targets;

/// <summary>A target ran without throwing but broke one of its promises (two decoding paths disagree, a limit is exceeded).</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
