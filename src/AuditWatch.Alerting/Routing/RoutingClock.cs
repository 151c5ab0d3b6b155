namespace AuditWatch.Alerting.Routing;

/// <summary>
/// The time routing runs on: the wall clock read once at start, then moved by monotonic elapsed time. group_wait,
/// group_interval and repeat_interval measure durations, so a system clock stepped back by an hour must not hold
/// notifications back for that hour, nor a step forward send them early.
/// </summary>
public sealed class RoutingClock(TimeProvider time)
{
    private readonly DateTimeOffset _start = time.GetUtcNow();
    private readonly long _started = time.GetTimestamp();

    public DateTimeOffset Now => _start + time.GetElapsedTime(_started);
}
