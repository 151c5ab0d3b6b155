using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using AuditWatch.Alerting.Formatting;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Detection.Tests.Detectors;
using AuditWatch.Rules.Model;
using AuditWatch.TestSupport;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// One control-plane node with a broken clock: a request stamped a day ahead in the middle of a live burst. Taken as the
/// stream's time, it would make every request after it late, and no windowed rule would see the rest of the burst.
/// </summary>
public sealed class FutureStampTests
{
    private static readonly Rule AnonymousSecretAccess = TestRules.Parse("""
        id: anonymous-test
        title: Anonymous request for Secrets
        severity: high
        kind: match
        where: { field: user.kind, equals: anonymous }
        group_by: [user]
        """);

    [Fact]
    public void A_request_stamped_a_day_ahead_mid_burst_blinds_no_window_and_is_still_judged_alone()
    {
        var burst = Enumerable.Range(0, 12).Select(i => AuditEvents.SecretGet("mallory", "prod", $"s{i}", AuditEvents.T0.AddSeconds(i * 5))).ToList();
        var distinct = TestRules.Distinct();
        var replay = Detect.Run(burst, distinct);

        var brokenClock = AuditEvents.SecretGet("system:anonymous", "prod", "db", AuditEvents.T0.AddDays(1));
        var clock = new SteppedClock(AuditEvents.T0);
        var counters = new PipelineCounters();
        using var input = new Subject<AuditEvent>();
        using var ticks = new Subject<DateTimeOffset>();
        var alerts = new List<Alert>();
        using var subscription = DetectionPipeline
            .Detect(input, [distinct, AnonymousSecretAccess], new DetectionOptions(), new HistoricalScheduler(), counters, (ticks, clock))
            .Subscribe(alerts.Add);
        foreach (var (e, i) in burst.Select((e, i) => (e, i)))
        {
            clock.Elapse(TimeSpan.FromSeconds(5));
            ticks.OnNext(clock.GetUtcNow());
            input.OnNext(e);
            if (i == 3)
            {
                input.OnNext(brokenClock);

                // The webhook sends a batch again: still one request, though a day of event time seemed to pass.
                input.OnNext(burst[0]);
            }
        }

        for (var minute = 0; minute < 180; minute++)
        {
            clock.Elapse(TimeSpan.FromMinutes(1));
            ticks.OnNext(clock.GetUtcNow());
        }

        var beforeEnd = alerts.ToList();
        input.OnCompleted();

        Assert.NotEmpty(replay);
        Assert.Equal(replay.Select(AlertJson.Serialize), beforeEnd.Where(a => a.Rule == distinct.Id).Select(AlertJson.Serialize));
        var anonymous = Assert.Single(alerts.Firing(), a => a.Rule == AnonymousSecretAccess.Id);
        Assert.Equal("system:anonymous", anonymous.User);
        Assert.Contains(brokenClock.AuditId.ToString(), anonymous.AuditIds);

        // Judged at the stream's time when it came: its incident is not a day away from the group's others.
        Assert.Equal(AuditEvents.T0.AddSeconds(15), anonymous.FirstSeen);
        Assert.Equal(1, counters.StampedAhead);
        Assert.Equal(0, counters.Late);
        Assert.Equal(1, counters.Redeliveries);
        Assert.Equal(13, counters.Requests);
        Assert.Equal(brokenClock.AuditId, counters.LastStampedAhead?.AuditId);
        Assert.Equal(AuditEvents.T0.AddDays(1), counters.LastStampedAhead?.AheadStamp);
    }

    [Fact]
    public void In_replay_a_request_stamped_decades_ahead_mid_burst_blinds_no_window_and_is_still_judged_alone()
    {
        var burst = Enumerable.Range(0, 12).Select(i => AuditEvents.SecretGet("mallory", "prod", $"s{i}", AuditEvents.T0.AddSeconds(i * 5))).ToList();
        var distinct = TestRules.Distinct();
        var clean = Detect.Run(burst, distinct);
        var brokenClock = AuditEvents.SecretGet("system:anonymous", "prod", "db", new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var recorded = burst.Take(4).Append(brokenClock).Concat(burst.Skip(4)).ToList();
        var counters = new PipelineCounters();

        var alerts = Detect.Run(recorded, [distinct, AnonymousSecretAccess], null, counters);

        Assert.NotEmpty(clean);
        Assert.Equal(clean.Select(AlertJson.Serialize), alerts.Where(a => a.Rule == distinct.Id).Select(AlertJson.Serialize));
        var anonymous = Assert.Single(alerts.Firing(), a => a.Rule == AnonymousSecretAccess.Id);
        Assert.Contains(brokenClock.AuditId.ToString(), anonymous.AuditIds);
        Assert.True(anonymous.FirstSeen < AuditEvents.T0.AddMinutes(1), $"judged at {anonymous.FirstSeen:o}, not at the recording's time");
        Assert.Equal(1, counters.StampedAhead);
        Assert.Equal(0, counters.Late);
        Assert.Equal(12, counters.Evaluated);
    }

    [Fact]
    public void In_replay_a_quiet_hour_between_two_bursts_is_followed_and_every_request_is_judged_in_its_windows()
    {
        var first = Enumerable.Range(0, 150).Select(i => AuditEvents.SecretGet("mallory", "prod", $"a{i % 40}", AuditEvents.T0.AddSeconds(i))).ToList();
        var second = Enumerable.Range(0, 150).Select(i => AuditEvents.SecretGet("eve", "prod", $"b{i % 40}", AuditEvents.T0.AddHours(1).AddSeconds(i))).ToList();
        var distinct = TestRules.Distinct();
        var counters = new PipelineCounters();

        var alerts = Detect.Run(first.Concat(second), [distinct], null, counters);

        Assert.Equal(["mallory", "eve"], alerts.Firing().Select(a => a.User));
        Assert.Equal(300, counters.Evaluated);
        Assert.Equal(0, counters.StampedAhead);
        Assert.Equal(0, counters.Late);
    }

    [Fact]
    public void In_replay_a_day_long_gap_with_nothing_after_it_to_say_otherwise_is_followed()
    {
        var events = new[]
        {
            AuditEvents.SecretGet("mallory", "prod", "a", AuditEvents.T0),
            AuditEvents.SecretGet("mallory", "prod", "b", AuditEvents.T0.AddDays(1)),
        };
        var counters = new PipelineCounters();

        Detect.Run(events, [TestRules.Distinct()], null, counters);

        Assert.Equal(0, counters.StampedAhead);
        Assert.Equal(2, counters.Evaluated);
    }
}
