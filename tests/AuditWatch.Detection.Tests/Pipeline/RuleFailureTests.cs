using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Detection.Tests.Detectors;
using AuditWatch.Rules.Loading;
using AuditWatch.TestSupport;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// A rule that throws must end the alerts with its error, so that replay exits with it and the live service restarts;
/// it used to detach in silence, and replay (or a live lane) then waited for ever.
/// </summary>
public sealed class RuleFailureTests
{
    [Fact]
    public async Task A_rule_that_throws_ends_the_alerts_with_its_error()
    {
        var rules = RuleSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "rules")).Enabled;

        // The decoder refuses such a stamp; built here to make a group's expiry overflow the calendar.
        var events = new[]
        {
            AuditEvents.SecretGet("system:anonymous", "prod", "a", AuditEvents.T0),
            AuditEvents.SecretGet("system:anonymous", "prod", "b", new DateTimeOffset(9999, 12, 31, 23, 59, 58, TimeSpan.Zero)),
        };

        var run = Task.Run(() => Detect.Run(events, rules, null, new PipelineCounters()));

        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run);
    }

    [Fact]
    public void Live_a_rule_throwing_when_the_stream_goes_idle_fails_the_lane_instead_of_stopping_it_in_silence()
    {
        var rules = RuleSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "rules")).Enabled;
        var endOfTime = new DateTimeOffset(9999, 12, 31, 23, 59, 0, TimeSpan.Zero);
        var clock = new SteppedClock(endOfTime);
        using var input = new Subject<AuditEvent>();
        using var ticks = new Subject<DateTimeOffset>();
        Exception? failure = null;
        using var subscription = DetectionPipeline
            .Detect(input, rules, new DetectionOptions(), new HistoricalScheduler(), new PipelineCounters(), (ticks, clock))
            .Subscribe(_ => { }, error => failure = error);

        input.OnNext(AuditEvents.SecretGet("system:anonymous", "prod", "a", endOfTime.AddSeconds(58)));
        clock.Elapse(TimeSpan.FromMinutes(2));
        ticks.OnNext(endOfTime);

        Assert.IsType<ArgumentOutOfRangeException>(failure);
    }
}
