using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Tests.Detectors;

public sealed class OtherKindsTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("auditwatch-state-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private static readonly string FirstSeenRule = """
        id: new-source
        title: New source
        severity: low
        kind: first_seen
        where: { field: secret.read, equals: true }
        key: [user, source_ip]
        learn: 1d
        """;

    private static AuditEvent From(string ip, DateTimeOffset time) =>
        AuditEvents.SecretGet("bot", "ci", "token", time) with { SourceIps = [ip] };

    [Fact]
    public void First_seen_learns_first_and_then_fires_on_new_tuples_only()
    {
        var events = new[]
        {
            From("10.0.0.1", AuditEvents.T0),
            From("10.0.0.2", AuditEvents.T0.AddHours(2)),
            From("10.0.0.1", AuditEvents.T0.AddDays(2)),
            From("203.0.113.9", AuditEvents.T0.AddDays(2).AddHours(1)),
        };

        var alert = Assert.Single(Detect.Run(events, TestRules.Parse(FirstSeenRule)).Firing());

        Assert.Equal(["203.0.113.9"], alert.SourceIps);
    }

    [Fact]
    public void When_first_seen_memory_is_full_a_new_tuple_keeps_counting_as_new_each_time()
    {
        var events = new[]
        {
            From("10.0.0.1", AuditEvents.T0),
            From("10.0.0.1", AuditEvents.T0.AddDays(2)),
            From("10.0.0.2", AuditEvents.T0.AddDays(2).AddMinutes(1)),
            From("10.0.0.2", AuditEvents.T0.AddDays(2).AddMinutes(2)),
            From("10.0.0.2", AuditEvents.T0.AddDays(2).AddMinutes(3)),
        };

        var alerts = Detect.Run(events, TestRules.Parse(FirstSeenRule), new DetectionOptions { MaxFirstSeenTuples = 1 });

        // The remembered tuple stays quiet; the one that no longer fits is new at every request (3, not 1).
        Assert.Single(alerts.Firing());
        Assert.Equal(3, alerts.Final().Single().Count);
    }

    [Fact]
    public void First_seen_memory_survives_a_restart_through_the_data_directory()
    {
        var options = new DetectionOptions { DataDirectory = _dataDirectory };
        var rule = TestRules.Parse(FirstSeenRule);

        Detect.Run([From("10.0.0.1", AuditEvents.T0)], rule, options);
        var afterRestart = Detect.Run([From("10.0.0.1", AuditEvents.T0.AddDays(3)), From("10.9.9.9", AuditEvents.T0.AddDays(3).AddMinutes(1))], rule, options);
        var withoutMemory = Detect.Run([From("10.0.0.1", AuditEvents.T0.AddDays(3)), From("10.9.9.9", AuditEvents.T0.AddDays(3).AddMinutes(1))], rule);

        Assert.Equal(["10.9.9.9"], Assert.Single(afterRestart.Firing()).SourceIps);
        Assert.Empty(withoutMemory);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "first-seen", "new-source.jsonl")));
    }

    [Fact]
    public void A_first_seen_rule_whose_key_changed_learns_again_instead_of_finding_every_tuple_new()
    {
        var options = new DetectionOptions { DataDirectory = _dataDirectory };
        Detect.Run([From("10.0.0.1", AuditEvents.T0)], TestRules.Parse(FirstSeenRule), options);
        var edited = TestRules.Parse(FirstSeenRule.Replace("key: [user, source_ip]", "key: [user, namespace]", StringComparison.Ordinal));

        var afterEdit = Detect.Run([From("10.0.0.1", AuditEvents.T0.AddDays(3)), From("10.0.0.2", AuditEvents.T0.AddDays(3).AddMinutes(1))], edited, options);

        Assert.Empty(afterEdit);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "first-seen", "new-source.jsonl.previous")));
    }

    [Fact]
    public void Spike_compares_a_group_with_its_own_baseline()
    {
        var rule = TestRules.Parse("""
            id: spike
            title: Spike
            severity: medium
            kind: spike
            where: { field: secret.read, equals: true }
            window: 1m
            baseline: 30m
            factor: 5
            min_count: 10
            """);
        // An hour of 2 reads a minute, then 30 in one minute.
        var steady = Enumerable.Range(0, 120).Select(i => AuditEvents.SecretGet("operator", "ns", "s", AuditEvents.T0.AddSeconds(i * 30)));
        var burst = Enumerable.Range(0, 30).Select(i => AuditEvents.SecretGet("operator", "ns", "s", AuditEvents.T0.AddHours(1).AddSeconds(i)));

        Assert.Empty(Detect.Run(steady, rule));
        var alert = Assert.Single(Detect.Run(steady.Concat(burst), rule).Firing());
        Assert.Equal(10, alert.Count);
        Assert.Equal(AuditEvents.T0.AddHours(1), alert.FirstSeen);
    }

    // Ten requests in a minute and five times the group's average minute over the half hour before.
    private static readonly Rule AnySpike = TestRules.Parse("""
        id: spike
        title: Spike
        severity: medium
        kind: spike
        window: 1m
        baseline: 30m
        factor: 5
        min_count: 10
        """);

    [Fact]
    public void Spike_waits_for_a_baseline_before_judging_a_new_group()
    {
        Assert.Empty(Detect.Run(Enumerable.Range(0, 50).Select(i => AuditEvents.SecretGet("new", "ns", "s", AuditEvents.T0.AddSeconds(i))), AnySpike));
    }

    [Theory]
    [InlineData(-1000, true)]
    [InlineData(100, false)]
    public void A_group_quiet_for_its_lifetime_is_new_again_though_its_rules_timer_has_not_run(int burstAfterExpiryMs, bool fires)
    {
        // An hour of reads, the last at .300 of a second, then silence for the group's lifetime (baseline + window):
        // it expires at .300, and its rule's timer runs at the next whole second. A burst just before the expiry is
        // judged against the group's (now empty) baseline; one in the 0.7 s before the timer must find a new group,
        // which has no baseline yet, as it would have had the timer run on the dot.
        var steady = Enumerable.Range(0, 120).Select(i => AuditEvents.SecretGet("operator", "ns", "s", AuditEvents.T0.AddSeconds(i * 30).AddMilliseconds(300))).ToList();
        var expiry = steady[^1].RequestTime + TimeSpan.FromMinutes(31);
        var burst = Enumerable.Range(0, 30).Select(i => AuditEvents.SecretGet("operator", "ns", "s", expiry.AddMilliseconds(burstAfterExpiryMs + (i * 10))));

        Assert.Equal(fires, Detect.Run(steady.Concat(burst), AnySpike).Firing().Any());
    }

    [Fact]
    public void Sequence_fires_exactly_where_a_brute_force_join_says()
    {
        var rule = TestRules.Parse("""
            id: seq
            title: Denied then allowed
            severity: high
            kind: sequence
            window: 2m
            steps:
              - { name: denied, where: { field: outcome, equals: denied }, key: [user, secret.name] }
              - { name: allowed, where: { field: outcome, equals: allowed }, key: [user, secret.name] }
            """);
        var random = new Random(3);
        for (var round = 0; round < 40; round++)
        {
            var second = 0;
            var events = Enumerable.Range(0, 120).Select(_ =>
            {
                second += random.Next(1, 40);
                return AuditEvents.SecretGet($"u{random.Next(2)}", "ns", $"s{random.Next(3)}", AuditEvents.T0.AddSeconds(second), code: random.Next(2) == 0 ? 403 : 200);
            }).ToList();

            var expected = new List<(string, DateTimeOffset)>();
            foreach (var key in events.GroupBy(e => (e.User.Username, e.ObjectRef!.Name)))
            {
                DateTimeOffset? lastDenied = null, incidentLast = null;
                foreach (var e in key.OrderBy(e => e.RequestTime))
                {
                    if (e.ResponseCode == 403)
                    {
                        lastDenied = e.RequestTime;
                        continue;
                    }

                    if (incidentLast is { } last && e.RequestTime - last > TimeSpan.FromMinutes(2))
                    {
                        incidentLast = null;
                    }

                    if (incidentLast is not null)
                    {
                        incidentLast = e.RequestTime;
                    }
                    else if (lastDenied is { } denied && e.RequestTime - denied <= TimeSpan.FromMinutes(2))
                    {
                        expected.Add((key.Key.Username, e.RequestTime));
                        incidentLast = e.RequestTime;
                    }
                }
            }

            var actual = Detect.Run(events, rule).Firing().Select(a => (a.User, a.LastSeen));

            Assert.Equal(expected.OrderBy(x => x.Item2).ThenBy(x => x.Item1, StringComparer.Ordinal), actual.OrderBy(x => x.Item2).ThenBy(x => x.Item1, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Requests_of_a_later_step_alone_do_not_push_a_started_sequence_out()
    {
        var rule = TestRules.Parse("""
            id: seq
            title: Denied then allowed
            severity: high
            kind: sequence
            window: 10m
            steps:
              - { name: denied, where: { field: outcome, equals: denied }, key: [user] }
              - { name: allowed, where: { field: outcome, equals: allowed }, key: [user] }
            """);
        var events = new List<AuditEvent> { AuditEvents.SecretGet("mallory", "ns", "s", AuditEvents.T0, code: 403) };

        // Fifty other people read Secrets: each is a second step without a first, which has nothing to extend.
        events.AddRange(Enumerable.Range(0, 50).Select(i => AuditEvents.SecretGet($"reader-{i}", "ns", "s", AuditEvents.T0.AddSeconds(1 + i))));
        events.Add(AuditEvents.SecretGet("mallory", "ns", "s", AuditEvents.T0.AddMinutes(2)));

        var alerts = Detect.Run(events, [rule], new DetectionOptions { MaxGroupsPerRule = 2 }, new PipelineCounters());

        Assert.Equal("mallory", Assert.Single(alerts.Firing()).User);
    }

    [Fact]
    public void Late_events_are_counted_and_still_reach_match_rules()
    {
        var rule = TestRules.Parse("""
            id: any-read
            title: Any read
            severity: low
            where: { field: secret.read, equals: true }
            suppress: 1s
            """);
        var counters = new PipelineCounters();
        var events = new[]
        {
            AuditEvents.SecretGet("a", "ns", "s1", AuditEvents.T0.AddMinutes(10)),
            AuditEvents.SecretGet("b", "ns", "s2", AuditEvents.T0),
        };

        var alerts = Detect.Run(events, [rule], null, counters);

        Assert.Equal(1, counters.Late);
        Assert.Contains(alerts, a => a.User == "b" && a.Status == AlertStatus.Firing);
    }
}
