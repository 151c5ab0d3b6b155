namespace AuditWatch.Detection.Normalize;

public sealed record RequestCounterOptions
{
    /// <summary>The largest capacity: about 84 bytes a request when full, 8.4 GB.</summary>
    public const int MaxCapacity = 100_000_000;

    /// <summary>How long, in event time, a request is remembered to recognise its other stages and redeliveries.</summary>
    public TimeSpan Memory { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many requests are remembered; the oldest are forgotten first.</summary>
    public int Capacity { get; init; } = 1_000_000;
}
