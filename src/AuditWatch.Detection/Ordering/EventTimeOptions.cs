namespace AuditWatch.Detection.Ordering;

public sealed record EventTimeOptions
{
    /// <summary>
    /// How far behind the newest event time an event may arrive and still be put in order. The default covers the
    /// webhook's own delay (30 s) plus the apiserver's default batch wait (<c>--audit-webhook-batch-max-wait</c>, 30 s).
    /// </summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>At most this many events wait to be put in order; past it the oldest are released early.</summary>
    public int MaxBuffered { get; init; } = 1_000_000;
}
