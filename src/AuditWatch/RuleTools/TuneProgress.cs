using System.Globalization;
using AuditWatch.Cli;
using AuditWatch.Ingestion.Sources.Files;

namespace AuditWatch.RuleTools;

/// <summary>Where <c>tune</c> is: reading the logs, then replaying them through one rule after the other.</summary>
internal sealed class TuneProgress
{
    private int _rulesDone;
    private int _ruleCount;
    private long _eventsRead;
    private volatile string? _currentRule;

    public ReadProgress Reading { get; } = new();

    public void EventRead() => Interlocked.Increment(ref _eventsRead);

    public void Tuning(string ruleId, int index, int count)
    {
        Volatile.Write(ref _ruleCount, count);
        Volatile.Write(ref _rulesDone, index);
        _currentRule = ruleId;
    }

    public void Done() => Volatile.Write(ref _rulesDone, Volatile.Read(ref _ruleCount));

    public string Line()
    {
        var count = Volatile.Read(ref _ruleCount);
        if (count == 0)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"reading {ProgressDisplay.Bar(Reading.BytesRead, Reading.TotalBytes)}{Reading.BytesRead / 1048576.0:0.0} MiB, {Interlocked.Read(ref _eventsRead)} events");
        }

        var done = Volatile.Read(ref _rulesDone);
        var current = done < count ? $" ({_currentRule})" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"tuning  {ProgressDisplay.Bar(done, count)}{done}/{count} rules{current}");
    }
}
