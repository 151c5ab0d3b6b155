using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Detection.Tests.Detectors;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Model;
using AuditWatch.TestSupport;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// A rule that throws is counted and starts over, and the other rules go on. It used to end the whole stream: live, the
/// service restarted and, on Kafka, read the same message again and failed again, for ever; before that, it detached in
/// silence and replay (or a live lane) waited for ever.
/// </summary>
/// <remarks>
/// The decoder refuses stamps from the year 3000 on; built here, a request near the end of the calendar makes the group
/// expiry of a rule with a two-hour window overflow it, while a rule with a five-minute window still fits.
/// </remarks>
public sealed class RuleFailureTests
{
    private static readonly DateTimeOffset NearTheEnd = new(9999, 12, 31, 22, 30, 0, TimeSpan.Zero);
    private static readonly Rule Fits = TestRules.Distinct(threshold: 3);
    private static readonly Rule Overflows = TestRules.Threshold(threshold: 3, window: "2h") with { Id = "two-hour-window" };

    [Fact]
    public async Task In_replay_a_rule_that_throws_on_every_request_is_counted_and_the_other_rules_are_whole()
    {
        var events = Reads("mallory", NearTheEnd, 6);
        var counters = new PipelineCounters();

        var run = Task.Run(() => Detect.Run(events, [Fits, Overflows], null, counters));

        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
        var alerts = await run;
        var incident = Assert.Single(alerts.Final());
        Assert.Equal(Fits.Id, incident.Rule);
        Assert.Equal(6, incident.Count);
        Assert.Equal(new Dictionary<string, long> { [Fits.Id] = 0, [Overflows.Id] = 6 }, counters.RuleFailures);
        Assert.Equal(events[^1].AuditId, counters.LastRuleFailure?.AuditId);
        Assert.IsType<ArgumentOutOfRangeException>(counters.LastRuleFailure?.Error);
    }

    [Fact]
    public void Live_a_rule_that_throws_is_counted_and_the_lane_goes_on_with_every_rule()
    {
        var clock = new SteppedClock(NearTheEnd);
        var counters = new PipelineCounters();
        using var input = new Subject<AuditEvent>();
        using var ticks = new Subject<DateTimeOffset>();
        var alerts = new List<Alert>();
        Exception? failure = null;
        using var subscription = DetectionPipeline
            .Detect(input, [Fits, Overflows], new DetectionOptions(), new HistoricalScheduler(), counters, (ticks, clock))
            .Subscribe(alerts.Add, error => failure = error);

        void SendAndGoQuiet(string user, DateTimeOffset from)
        {
            foreach (var read in Reads(user, from, 4))
            {
                clock.Elapse(TimeSpan.FromSeconds(1));
                input.OnNext(read);
            }

            // Quiet until the watermark passed them: released, judged, the failing rule's errors counted.
            clock.Elapse(TimeSpan.FromMinutes(2));
            ticks.OnNext(clock.GetUtcNow());
        }

        SendAndGoQuiet("mallory", NearTheEnd);
        SendAndGoQuiet("eve", NearTheEnd.AddMinutes(3));

        Assert.Null(failure);
        Assert.Equal(["mallory", "eve"], alerts.Firing().Select(a => a.User));
        Assert.Equal(8, counters.RuleFailures[Overflows.Id]);
    }

    [Fact]
    public void A_rule_whose_condition_throws_on_what_the_shape_decides_is_counted_and_the_other_rules_are_whole()
    {
        Assert.True(FieldCatalog.TryGet("verb", out var verb));
        var throwing = TestRules.Parse("id: throws-on-the-verb\ntitle: T\nseverity: low\n") with
        {
            Where = new LeafCondition(verb, "equals", "get", _ => throw new InvalidOperationException("a broken test")),
        };
        var counters = new PipelineCounters();

        var alerts = Detect.Run(Reads("mallory", AuditEvents.T0, 6), [Fits, throwing], null, counters);

        Assert.Equal(Fits.Id, Assert.Single(alerts.Final()).Rule);
        Assert.Equal(6, counters.RuleFailures[throwing.Id]);
        Assert.IsType<InvalidOperationException>(counters.LastRuleFailure?.Error);
    }

    [Fact]
    public void Every_rule_has_an_error_count_from_its_start_so_that_a_first_failure_shows_as_an_increase()
    {
        var counters = new PipelineCounters();

        Detect.Run([], [Fits, Overflows], null, counters);

        Assert.Equal(new Dictionary<string, long> { [Fits.Id] = 0, [Overflows.Id] = 0 }, counters.RuleFailures);
    }

    private static List<AuditEvent> Reads(string user, DateTimeOffset from, int count) =>
        [.. Enumerable.Range(0, count).Select(i => AuditEvents.SecretGet(user, "prod", $"s{i}", from.AddSeconds(i)))];
}
