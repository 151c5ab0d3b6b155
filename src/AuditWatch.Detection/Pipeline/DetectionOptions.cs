using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;

namespace AuditWatch.Detection.Pipeline;

public sealed record DetectionOptions
{
    public RequestCounterOptions Requests { get; init; } = new();
    public EventTimeOptions EventTime { get; init; } = new();

    /// <summary>Groups (identities) one rule tracks at most; past it the least recently active is forgotten.</summary>
    public int MaxGroupsPerRule { get; init; } = 100_000;

    public int MaxFirstSeenTuples { get; init; } = 1_000_000;

    /// <summary>Where state that must survive restarts is kept (first_seen memory); none keeps it in memory only.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Told the file and the error when state stops being written (disk full, read-only); once per run of failures.</summary>
    public Action<string, Exception>? StateWriteFailed { get; init; }

    /// <summary>
    /// What first_seen rules have learned, shared by the pipelines made with these options and their copies (a service's
    /// lanes): one memory per rule, not one per lane. New options, new memories: pipelines that must learn apart (rule
    /// tests, one replay after another) each need options of their own, or must not run at the same time.
    /// </summary>
    public FirstSeenMemories FirstSeenMemories { get; init; } = new();

    /// <summary>Per pipeline: whether events past the replayed ones (a rebuilt Kafka partition) have started to arrive.</summary>
    public ReplayProgress Replay { get; init; } = new();
}
