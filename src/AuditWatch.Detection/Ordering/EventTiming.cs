namespace AuditWatch.Detection.Ordering;

/// <summary>Where a request stood against the watermark when it reached the rules.</summary>
public enum EventTiming
{
    /// <summary>Released in event-time order once the watermark passed it.</summary>
    InOrder,

    /// <summary>Arrived behind the watermark: its windows had closed.</summary>
    Late,

    /// <summary>Stamped further ahead of the stream's time than the allowed lateness (<see cref="FutureStampCheck"/>).</summary>
    Ahead,
}
