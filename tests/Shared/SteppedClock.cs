namespace AuditWatch.TestSupport;

// Compiled into the test projects that need it (linked from tests/Shared), there being no test-support project.

/// <summary>A system clock that NTP or an operator steps: wall time jumps, monotonic time does not.</summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private TimeSpan _elapsed;
    private TimeSpan _step;

    public void Elapse(TimeSpan time) => _elapsed += time;

    public void Step(TimeSpan by) => _step += by;

    public override DateTimeOffset GetUtcNow() => start + _elapsed + _step;

    public override long GetTimestamp() => _elapsed.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
