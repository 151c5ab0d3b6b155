using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Rules.Model;
using AuditWatch.TestSupport;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>Rule sets changing mid-stream: unchanged rules keep their state, new rules start empty, removed ones stop.</summary>
public sealed class RuleChangeTests
{
    // No lateness: each event is released at once, so "before the reload" is unambiguous. (With lateness, a new rule
    // also sees the events still waiting in the reorder buffer when it arrives.) Rules are reloaded only live, where
    // the events come as their time passes.
    private static readonly DetectionOptions Immediate = new() { EventTime = new AuditWatch.Detection.Ordering.EventTimeOptions { AllowedLateness = TimeSpan.Zero } };

    private static AuditEvent Read(int i) => AuditEvents.SecretGet("mallory", "prod", $"s{i}", AuditEvents.T0.AddSeconds(i * 5));

    private static IObservable<Alert> DetectLive(Subject<AuditEvent> events, IObservable<IReadOnlyList<Rule>> ruleSets, SteppedClock clock) =>
        DetectionPipeline.Detect(events, ruleSets, Immediate, new HistoricalScheduler(), new PipelineCounters(), (Observable.Never<DateTimeOffset>(), clock));

    private static void Send(Subject<AuditEvent> events, SteppedClock clock, int i)
    {
        clock.Elapse(TimeSpan.FromSeconds(5));
        events.OnNext(Read(i));
    }

    [Fact]
    public void An_unchanged_rule_keeps_its_incident_across_a_reload_and_an_added_rule_sees_only_what_follows()
    {
        var burst = TestRules.Distinct(threshold: 10);
        var counting = TestRules.Threshold(threshold: 3, window: "5m") with { Id = "added-later" };
        using var events = new Subject<AuditEvent>();
        using var ruleSets = new BehaviorSubject<IReadOnlyList<Rule>>([burst]);
        var alerts = new List<Alert>();
        var clock = new SteppedClock(AuditEvents.T0);
        using var subscription = DetectLive(events, ruleSets, clock)
            .Subscribe(alerts.Add);

        for (var i = 0; i < 15; i++)
        {
            Send(events, clock, i);
        }

        // Reload: the same burst rule (same definition), and a new one.
        ruleSets.OnNext([burst with { }, counting]);
        for (var i = 15; i < 30; i++)
        {
            Send(events, clock, i);
        }

        events.OnCompleted();

        var burstNotices = alerts.Where(a => a.Rule == "distinct-test").ToList();
        Assert.Single(burstNotices, a => a.Status == AlertStatus.Firing);
        Assert.Equal(30, burstNotices.Last().Count);
        var added = alerts.Where(a => a.Rule == "added-later").ToList();
        Assert.Equal(AuditEvents.T0.AddSeconds(15 * 5), added.First(a => a.Status == AlertStatus.Firing).FirstSeen);
    }

    [Fact]
    public void The_output_ends_with_the_events_although_rule_sets_never_end()
    {
        using var events = new Subject<AuditEvent>();
        using var ruleSets = new BehaviorSubject<IReadOnlyList<Rule>>([TestRules.Distinct(threshold: 10)]);
        var alerts = new List<Alert>();
        var completed = false;
        var clock = new SteppedClock(AuditEvents.T0);
        using var subscription = DetectLive(events, ruleSets, clock)
            .Subscribe(alerts.Add, () => completed = true);

        for (var i = 0; i < 12; i++)
        {
            Send(events, clock, i);
        }

        events.OnCompleted();

        Assert.True(completed);
        Assert.Equal(AlertStatus.Resolved, alerts.Last().Status);
        Assert.Equal(12, alerts.Last().Count);
    }

    [Fact]
    public void A_removed_rule_stops_and_a_changed_rule_starts_over()
    {
        var before = TestRules.Distinct(threshold: 10);
        var after = before with { Definition = before.Definition + "# edited", Threshold = before.Threshold! with { Default = 20 } };
        using var events = new Subject<AuditEvent>();
        using var ruleSets = new BehaviorSubject<IReadOnlyList<Rule>>([before]);
        var alerts = new List<Alert>();
        var clock = new SteppedClock(AuditEvents.T0);
        using var subscription = DetectLive(events, ruleSets, clock)
            .Subscribe(alerts.Add);

        for (var i = 0; i < 12; i++)
        {
            Send(events, clock, i);
        }

        ruleSets.OnNext([after]);
        for (var i = 12; i < 40; i++)
        {
            Send(events, clock, i);
        }

        events.OnCompleted();

        // The first incident was dropped with the old definition; the new one counts only reads after the change.
        var firings = alerts.Where(a => a.Status == AlertStatus.Firing).ToList();
        Assert.Equal(2, firings.Count);
        Assert.Equal(AuditEvents.T0.AddSeconds(12 * 5), firings[1].FirstSeen);
        Assert.Equal(20, firings[1].DistinctObjects);
    }

    [Fact]
    public void A_changed_rules_old_groups_and_a_dropped_pipelines_groups_are_no_longer_counted()
    {
        var counters = new PipelineCounters();
        using var events = new Subject<AuditEvent>();
        using var ruleSets = new BehaviorSubject<IReadOnlyList<Rule>>([TestRules.Distinct(threshold: 10)]);
        var clock = new SteppedClock(AuditEvents.T0);
        var subscription = DetectionPipeline.Detect(events, ruleSets, Immediate, new HistoricalScheduler(), counters, (Observable.Never<DateTimeOffset>(), clock))
            .Subscribe(_ => { });

        Send(events, clock, 0);
        events.OnNext(AuditEvents.SecretGet("eve", "prod", "s", clock.GetUtcNow()));
        Assert.Equal(2, counters.TrackedGroups["distinct-test"]);

        // The same rule id with a new definition starts empty: the old run's two groups are gone from the count.
        ruleSets.OnNext([TestRules.Distinct(threshold: 12)]);
        Assert.Equal(0, counters.TrackedGroups["distinct-test"]);
        Send(events, clock, 1);
        Assert.Equal(1, counters.TrackedGroups["distinct-test"]);

        // A lane dropped mid-stream (its Kafka partition moved) holds no groups any more.
        subscription.Dispose();
        Assert.Equal(0, counters.TrackedGroups["distinct-test"]);
    }
}
