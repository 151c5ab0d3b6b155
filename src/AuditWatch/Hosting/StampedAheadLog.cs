using AuditWatch.Detection.Pipeline;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Hosting;

/// <summary>
/// Says when requests stamped too far ahead were kept out of windows: at the first, then at most once a minute with
/// how many came since, naming the last, so that a broken control-plane clock is found without flooding the log.
/// </summary>
internal sealed partial class StampedAheadLog(PipelineCounters counters, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan Spacing = TimeSpan.FromMinutes(1);

    private long _reported;
    private long? _lastLogged;

    /// <summary>Called on every wall-clock tick.</summary>
    public void Check()
    {
        var count = counters.StampedAhead;
        if (count == _reported || counters.LastStampedAhead is not { AheadStamp: { } stamp } last)
        {
            return;
        }

        var now = time.GetTimestamp();
        if (_lastLogged is { } logged && time.GetElapsedTime(logged, now) < Spacing)
        {
            return;
        }

        LogStampedAhead(logger, count - _reported, last.AuditId.ToString(), last.Identity.Display, stamp, stamp - last.Time, last.Time);
        _reported = count;
        _lastLogged = now;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} request(s) stamped further ahead of the stream's time than the allowed lateness were judged by match rules alone, outside every window; the last: audit ID {AuditId} by {User} at {Time:o}, {Ahead} ahead of {StreamTime:o}. A control-plane clock, or this host's, is wrong")]
    private static partial void LogStampedAhead(ILogger logger, long count, string auditId, string user, DateTimeOffset time, TimeSpan ahead, DateTimeOffset streamTime);
}
