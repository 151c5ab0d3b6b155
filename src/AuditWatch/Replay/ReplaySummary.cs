using System.Globalization;
using AuditWatch.Cli;
using AuditWatch.Detection.Pipeline;

namespace AuditWatch.Replay;

internal static class ReplaySummary
{
    public static void Write(TextWriter stderr, PipelineCounters counters, SkippedItems skipped, TimeSpan elapsed)
    {
        var reasons = skipped.Total == 0
            ? string.Empty
            : " (" + string.Join(", ", skipped.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Value} {k.Key}")) + ")";
        var lastAhead = counters.LastStampedAhead is { AheadStamp: { } stamp } last
            ? string.Create(CultureInfo.InvariantCulture, $" (judged alone by match rules, outside every window; the last: audit ID {last.AuditId} by {last.Identity.Display} at {stamp:o}, {stamp - last.Time} ahead of the recording's time)")
            : string.Empty;
        var failures = RuleFailureReport.Describe(counters) is { } failure ? $" ({failure})" : string.Empty;
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            replay summary ({elapsed.TotalSeconds:0.0} s):
              events read     {counters.Events + skipped.Total}
              skipped         {skipped.Total}{reasons}
              requests        {counters.Requests} (ignored: {counters.RequestReceivedIgnored} RequestReceived, {counters.LaterStages} later stages, {counters.Redeliveries} redeliveries)
              Secret reads    {counters.SecretReads}
              late events     {counters.Late}
              stamped ahead   {counters.StampedAhead}{lastAhead}
              Secret payloads {counters.SecretPayloads} requests whose logged bodies held Secrets or tokens (dropped unread)
              alerts          {counters.Alerts}
              rule errors     {counters.RuleFailureTotal}{failures}
            """));
    }
}
