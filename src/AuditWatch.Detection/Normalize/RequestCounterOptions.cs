namespace AuditWatch.Detection.Normalize;

public sealed record RequestCounterOptions
{
    /// <summary>The largest capacity: 64–80 bytes a request when full (48 in the ring, 16–32 in the table), 8 GB at most.</summary>
    public const int MaxCapacity = 100_000_000;

    /// <summary>How long, in event time, a request is remembered to recognise its other stages and redeliveries.</summary>
    public TimeSpan Memory { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many requests are remembered; the oldest are forgotten first.</summary>
    public int Capacity { get; init; } = 1_000_000;
}
