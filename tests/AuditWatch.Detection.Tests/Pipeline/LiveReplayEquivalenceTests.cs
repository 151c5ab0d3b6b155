using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AuditWatch.Alerting.Formatting;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Detection.Tests.Detectors;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using AuditWatch.TestSupport;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// One log fed both ways through the default rule pack: as a replay, and as a live stream whose batches arrive late
/// and shuffled with a wall clock ticking between them. The alerts must be the same, and live must not need the end
/// of input to close its windows: idle time moves the watermark.
/// </summary>
public sealed class LiveReplayEquivalenceTests
{
    // The Sigma correlation of the default pack: SigmaHQ's RBAC enumeration, then Secrets enumeration.
    private const string PermissionsThenSecretListing = "0e9ad59f-e962-4e5c-b0b9-bfa1ad5aac18";

    [Fact]
    public async Task Live_and_replay_raise_identical_alerts()
    {
        var rules = RuleSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "rules")).Enabled;
        var events = await RecordedAndPlantedEvents();

        var replay = Detect.Run(events, rules, null, new PipelineCounters());
        var (live, beforeEnd) = RunLive(events, rules, new Random(7));

        Assert.NotEmpty(replay);
        Assert.Contains(replay, a => a.Rule == PermissionsThenSecretListing && a.User == "mallory@example.com");
        Assert.Equal(replay.Select(AlertJson.Serialize), live.Select(AlertJson.Serialize));
        Assert.Equal(live.Count, beforeEnd);
    }

    [Fact]
    public void A_backlog_hours_old_gives_the_same_alerts_as_replay()
    {
        var burst = Enumerable.Range(0, 12).Select(i => AuditEvents.SecretGet("mallory", "prod", $"s{i}", AuditEvents.T0.AddSeconds(i * 5))).ToList();
        var rule = TestRules.Distinct();

        var replay = Detect.Run(burst, rule);
        // Read six hours after it happened (Kafka after an outage): wall time is far ahead of event time.
        var (live, beforeEnd) = RunLive(burst, [rule], new Random(1), wallOffset: TimeSpan.FromHours(6));

        Assert.Equal(replay.Select(AlertJson.Serialize), live.Select(AlertJson.Serialize));
        Assert.Equal(live.Count, beforeEnd);
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], live.Select(a => a.Status));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(-24)]
    public void A_system_clock_stepped_mid_burst_and_while_idle_changes_no_alert(int hours)
    {
        var burst = Enumerable.Range(0, 12).Select(i => AuditEvents.SecretGet("mallory", "prod", $"s{i}", AuditEvents.T0.AddSeconds(i * 5))).ToList();
        var rule = TestRules.Distinct();
        var replay = Detect.Run(burst, rule);

        var clock = new SteppedClock(AuditEvents.T0);
        using var input = new Subject<AuditEvent>();
        using var ticks = new Subject<DateTimeOffset>();
        var alerts = new List<Alert>();
        using var subscription = DetectionPipeline
            .Detect(input, [rule], new DetectionOptions(), new HistoricalScheduler(), new PipelineCounters(), (ticks, clock))
            .Subscribe(alerts.Add);
        foreach (var (e, i) in burst.Select((e, i) => (e, i)))
        {
            clock.Elapse(TimeSpan.FromSeconds(5));
            if (i == burst.Count / 2)
            {
                clock.Step(TimeSpan.FromHours(hours));
            }

            ticks.OnNext(clock.GetUtcNow());
            input.OnNext(e);
        }

        // Quiet for three hours, stepped again at its start: the incident resolves without the end of input, as it
        // would without the steps.
        clock.Step(TimeSpan.FromHours(hours));
        for (var minute = 0; minute < 180; minute++)
        {
            clock.Elapse(TimeSpan.FromMinutes(1));
            ticks.OnNext(clock.GetUtcNow());
        }

        var beforeEnd = alerts.Count;
        input.OnCompleted();

        Assert.Equal(replay.Select(AlertJson.Serialize), alerts.Select(AlertJson.Serialize));
        Assert.Equal(alerts.Count, beforeEnd);
    }

    private static (List<Alert> Alerts, int BeforeEnd) RunLive(IReadOnlyList<AuditEvent> events, IReadOnlyList<Rule> rules, Random random, TimeSpan? wallOffset = null)
    {
        var wall = new ManualWallClock(events[0].RequestTime + (wallOffset ?? TimeSpan.Zero));
        using var input = new Subject<AuditEvent>();
        using var ticks = new Subject<DateTimeOffset>();
        var alerts = new List<Alert>();
        using var subscription = DetectionPipeline
            .Detect(input, rules, new DetectionOptions(), new HistoricalScheduler(), new PipelineCounters(), (ticks, wall))
            .Subscribe(alerts.Add);

        // Batches of up to 2 s of event time, each arriving 1-30 s after its events, shuffled inside.
        foreach (var batch in events.GroupBy(e => e.RequestTime.UtcTicks / TimeSpan.TicksPerSecond / 2))
        {
            var arrival = batch.Max(e => e.RequestTime) + (wallOffset ?? TimeSpan.Zero) + TimeSpan.FromSeconds(random.Next(1, 31));
            wall.MoveTo(arrival);
            foreach (var e in batch.OrderBy(_ => random.Next()))
            {
                input.OnNext(e);
            }

            ticks.OnNext(wall.GetUtcNow());
        }

        // The stream goes quiet: three hours of wall-clock ticks, and no end of input.
        for (var minute = 0; minute < 180; minute++)
        {
            wall.MoveTo(wall.GetUtcNow().AddMinutes(1));
            ticks.OnNext(wall.GetUtcNow());
        }

        var beforeEnd = alerts.Count;
        input.OnCompleted();
        return (alerts, beforeEnd);
    }

    private static async Task<List<AuditEvent>> RecordedAndPlantedEvents()
    {
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "fixtures", "audit", "perfspec_helm_audit.jsonl"));
        var events = await new AuditStreamDecoder().DecodeAsync(stream, "perfspec").Select(r => r.Event!.Value).ToListAsync();
        var start = events.Min(e => e.RequestTime);
        events.AddRange(Enumerable.Range(0, 30).Select(i =>
            AuditEvents.SecretGet("system:serviceaccount:ci:deploy-bot", $"ns-{i % 5}", $"s-{i}", start.AddSeconds(30 + (i * 2)))));
        events.Add(AuditEvents.SecretGet("mallory@example.com", "", "", start.AddSeconds(90)) with
        {
            ObjectRef = new ObjectReference("selfsubjectrulesreviews", null, null, "authorization.k8s.io", "v1", null),
            Verb = "create",
            RequestUri = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            ResponseCode = 201,
        });
        events.Add(AuditEvents.SecretGet("mallory@example.com", "", "", start.AddSeconds(100)) with
        {
            ObjectRef = new ObjectReference("secrets", null, null, null, "v1", null),
            Verb = "list",
            RequestUri = "/api/v1/secrets",
        });
        return [.. events.OrderBy(e => e.RequestTime)];
    }

    private sealed class ManualWallClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void MoveTo(DateTimeOffset time)
        {
            if (time > _now)
            {
                _now = time;
            }
        }

        public override DateTimeOffset GetUtcNow() => _now;

        // Only ever moves forward, so it serves as the monotonic clock too.
        public override long GetTimestamp() => _now.UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
