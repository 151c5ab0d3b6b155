using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Pipeline;

/// <summary>A rule that threw: which, on which request (none when its timer or the end of input did), and the error.</summary>
public sealed record RuleFailure(string Rule, AuditId? AuditId, Exception Error)
{
    /// <summary>The error's type and message, as logs and the replay summary name it.</summary>
    public string Description => $"{Error.GetType().Name}: {Error.Message}";
}
