using AuditWatch.Detection.Detectors.DistinctReads;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;

namespace AuditWatch.Detection.Pipeline;

public sealed record DetectionOptions
{
    public RequestCounterOptions Requests { get; init; } = new();
    public EventTimeOptions EventTime { get; init; } = new();
    public DistinctReadsOptions DistinctReads { get; init; } = new();
}
