using AuditWatch.Detection.Pipeline;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Hosting;

/// <summary>
/// Says when rules threw and started over: at the first, then at most once a minute with how many came since and from
/// which rules, naming the last, so that a rule failing on every request does not flood the log. The stack trace is
/// logged the first time each rule is named last.
/// </summary>
internal sealed partial class RuleFailureLog(PipelineCounters counters, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan Spacing = TimeSpan.FromMinutes(1);

    private IReadOnlyDictionary<string, long> _reported = new Dictionary<string, long>(StringComparer.Ordinal);
    private readonly HashSet<string> _tracedRules = new(StringComparer.Ordinal);
    private long? _lastLogged;

    /// <summary>Called on every wall-clock tick, and once more at the end with <paramref name="final"/> set.</summary>
    /// <param name="final">Logs what came since the last report without waiting out the minute (detection has stopped).</param>
    public void Check(bool final = false)
    {
        var byRule = counters.RuleFailures;
        var since = byRule
            .Select(rule => (rule.Key, Count: rule.Value - _reported.GetValueOrDefault(rule.Key)))
            .Where(rule => rule.Count > 0)
            .OrderBy(rule => rule.Key, StringComparer.Ordinal)
            .ToList();
        if (since.Count == 0 || counters.LastRuleFailure is not { } last)
        {
            return;
        }

        var now = time.GetTimestamp();
        if (!final && _lastLogged is { } logged && time.GetElapsedTime(logged, now) < Spacing)
        {
            return;
        }

        LogRuleFailures(
            logger,
            since.Sum(rule => rule.Count),
            string.Join(", ", since.Select(rule => $"{rule.Key} {rule.Count}")),
            last.Rule,
            last.AuditId?.ToString() ?? "none (at the end of a window or of the input)",
            last.Description,
            _tracedRules.Add(last.Rule) ? last.Error : null);
        _reported = byRule;
        _lastLogged = now;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} rule failure(s) (by rule: {Rules}): each time the rule started over with no state and dropped its open incidents; the other rules went on. The last: rule {Rule} on audit ID {AuditId}: {Error}. This is a bug in AuditWatch: please report it with this log")]
    private static partial void LogRuleFailures(ILogger logger, long count, string rules, string rule, string auditId, string error, Exception? exception);
}
