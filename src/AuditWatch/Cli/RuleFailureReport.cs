using AuditWatch.Detection.Pipeline;

namespace AuditWatch.Cli;

/// <summary>How the commands that run rules over recorded events say that a rule threw while they ran.</summary>
internal static class RuleFailureReport
{
    /// <summary>Which rules failed how often and the last failure, or null when no rule failed.</summary>
    public static string? Describe(PipelineCounters counters) => counters.LastRuleFailure is { } last
        ? $"by rule: {string.Join(", ", counters.RuleFailures.Where(r => r.Value > 0).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"))}; "
          + $"each time the rule started over with no state and missed that request; the last: rule {last.Rule}{(last.AuditId is { } id ? $" on audit ID {id}" : " at the end of a window or of the input")}: {last.Description}"
        : null;

    /// <summary>Writes the failures to stderr as an error; true when there were any.</summary>
    public static bool Write(TextWriter stderr, PipelineCounters counters)
    {
        if (Describe(counters) is not { } description)
        {
            return false;
        }

        stderr.WriteLine($"error: {counters.RuleFailureTotal} rule error(s), {description}. The results leave out what the rule missed.");
        return true;
    }
}
