namespace AuditWatch.Detection.Normalize;

public sealed record RequestCounterOptions
{
    /// <summary>How long, in event time, a request is remembered to recognise its other stages and redeliveries.</summary>
    public TimeSpan Memory { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many requests are remembered; the oldest are forgotten first.</summary>
    public int Capacity { get; init; } = 1_000_000;
}
