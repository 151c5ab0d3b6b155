using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Detectors;

public sealed class DistinctRuleTests
{
    private static IEnumerable<AuditEvent> Reads(string user, int count, TimeSpan every, DateTimeOffset? start = null, string ns = "default") =>
        Enumerable.Range(0, count).Select(i => AuditEvents.SecretGet(user, ns, $"secret-{i}", (start ?? AuditEvents.T0) + (every * i)));

    [Fact]
    public void Ten_distinct_reads_within_five_minutes_fire_once_with_the_evidence()
    {
        var alerts = Detect.Run(Reads("mallory", 10, TimeSpan.FromSeconds(20)), TestRules.Distinct());

        var alert = Assert.Single(alerts.Firing());
        Assert.Equal("distinct-test", alert.Rule);
        Assert.Equal("mallory", alert.User);
        Assert.Equal(10, alert.Count);
        Assert.Equal(10, alert.DistinctObjects);
        Assert.Equal(AuditEvents.T0, alert.FirstSeen);
        Assert.Equal(AuditEvents.T0.AddSeconds(180), alert.LastSeen);
        Assert.Equal(["default"], alert.Namespaces);
        Assert.Contains("default/secret-0", alert.Objects);
        Assert.Equal(10, alert.AuditIds.Count);
        Assert.StartsWith("mallory: Many distinct Secrets — 10 requests on 10 distinct object(s)", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_sharing_one_client_chosen_audit_id_are_each_in_the_evidence()
    {
        // A client may send the same Audit-ID header with every request; the apiserver records it as given.
        var reads = Enumerable.Range(0, 10).Select(i =>
            AuditEvents.SecretGet("mallory", "default", $"secret-{i}", AuditEvents.T0.AddSeconds(20 * i), auditId: "reused-id"));

        var alert = Assert.Single(Detect.Run(reads, TestRules.Distinct()).Firing());

        Assert.Equal(10, alert.Count);
        Assert.Equal(10, alert.DistinctObjects);
        Assert.Equal(AuditEvents.T0, alert.FirstSeen);
    }

    [Fact]
    public void The_alert_names_each_reads_audit_id_whether_a_uuid_a_clients_text_or_none()
    {
        // Windows keep a UUID as 16 bytes and any other ID in the read's context: each must come back as recorded.
        var reads = Enumerable.Range(0, 10).Select(i => AuditEvents.SecretGet("mallory", "default", $"secret-{i}", AuditEvents.T0.AddSeconds(20 * i)) with
        {
            AuditId = (i % 4) switch
            {
                0 => AuditId.Parse($"5867dbf3-0303-43e3-a9e8-23c4968d4d{i:x2}"),
                1 => AuditId.Parse($"client-op-{i}"),
                2 => AuditId.Parse("5867DBF3-0303-43E3-A9E8-23C4968D4D9B"),
                _ => default(AuditId),
            },
        }).ToList();

        var alert = Assert.Single(Detect.Run(reads, TestRules.Distinct()).Firing());

        Assert.Equal(reads.Select(r => r.AuditId.ToString()), alert.AuditIds);
        Assert.Contains("client-op-5", alert.AuditIds);
        Assert.Contains(string.Empty, alert.AuditIds);
    }

    [Fact]
    public void Reads_from_changing_addresses_agents_and_namespaces_each_keep_their_own_details()
    {
        // Windows share contexts between reads that agree on them, within a group and across groups; reads that differ
        // must not inherit one.
        var reads = Enumerable.Range(0, 10).Select(i => AuditEvents.SecretGet(
                "mallory", i < 5 ? "default" : "payments", $"secret-{i}", AuditEvents.T0.AddSeconds(20 * i), code: i % 3 == 2 ? 403 : 200) with
            {
                SourceIps = i % 4 < 2 ? ["10.0.0.1"] : ["203.0.113.9", "10.0.0.1"],
                UserAgent = i == 4 ? "curl/8.5.0" : "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819",
            });

        var alert = Assert.Single(Detect.Run(reads, TestRules.Distinct()).Firing());

        Assert.Equal(["default", "payments"], alert.Namespaces.Order());
        Assert.Equal(["10.0.0.1", "203.0.113.9"], alert.SourceIps.Order());
        Assert.Equal(["curl/8.5.0", "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819"], alert.UserAgents.Order());
        Assert.Equal(new OutcomeCounts(7, 3, 0, 0), alert.Outcomes);
    }

    [Fact]
    public void Nine_distinct_reads_stay_quiet()
    {
        Assert.Empty(Detect.Run(Reads("alice", 9, TimeSpan.FromSeconds(10)), TestRules.Distinct()));
    }

    [Fact]
    public void Ten_reads_spread_wider_than_the_window_stay_quiet()
    {
        Assert.Empty(Detect.Run(Reads("alice", 10, TimeSpan.FromSeconds(40)), TestRules.Distinct()));
    }

    [Fact]
    public void Rereading_the_same_secrets_is_not_distinct()
    {
        var events = Enumerable.Range(0, 100).Select(i => AuditEvents.SecretGet("operator", "monitoring", $"s{i % 8}", AuditEvents.T0.AddSeconds(i)));

        Assert.Empty(Detect.Run(events, TestRules.Distinct()));
    }

    [Fact]
    public void Denied_reads_are_reported_separately()
    {
        var events = Reads("probe", 6, TimeSpan.FromSeconds(1))
            .Concat(Enumerable.Range(0, 4).Select(i => AuditEvents.SecretGet("probe", "vault", $"v{i}", AuditEvents.T0.AddSeconds(10 + i), code: 403)));

        var alert = Assert.Single(Detect.Run(events, TestRules.Distinct()).Firing());

        Assert.Equal(new OutcomeCounts(6, 4, 0, 0), alert.Outcomes);
        Assert.Contains("4 denied", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ongoing_incident_updates_instead_of_firing_again_and_resolves_with_its_tally()
    {
        var alerts = Detect.Run(Reads("mallory", 100, TimeSpan.FromSeconds(6)), TestRules.Distinct());

        Assert.Equal([AlertStatus.Firing, AlertStatus.Update, AlertStatus.Resolved], alerts.Select(a => a.Status));
        Assert.Single(alerts.Select(a => a.IncidentId).Distinct());
        Assert.True(alerts[1].Count > alerts[0].Count);
        Assert.True(alerts[1].SuppressedRepeats > 0);
        Assert.Equal(100, alerts[2].Count);
        Assert.Equal(100, alerts[2].DistinctObjects);
        Assert.Equal(AuditEvents.T0.AddSeconds(99 * 6), alerts[2].LastSeen);
    }

    [Fact]
    public void An_incident_resolves_after_a_quiet_window_and_a_later_burst_is_a_new_one()
    {
        var later = Reads("mallory", 10, TimeSpan.FromSeconds(5), AuditEvents.T0.AddHours(1), "prod");

        var alerts = Detect.Run(Reads("mallory", 12, TimeSpan.FromSeconds(5)).Concat(later), TestRules.Distinct());

        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved, AlertStatus.Firing, AlertStatus.Resolved], alerts.Select(a => a.Status));
        Assert.Equal(12, alerts[1].DistinctObjects);
        Assert.Equal(alerts[0].IncidentId, alerts[1].IncidentId);
        Assert.NotEqual(alerts[0].IncidentId, alerts[2].IncidentId);
        Assert.Equal(["prod"], alerts[3].Namespaces);
    }

    [Fact]
    public void Identities_are_windowed_separately()
    {
        var interleaved = Reads("a", 5, TimeSpan.FromSeconds(2)).Concat(Reads("b", 5, TimeSpan.FromSeconds(2), AuditEvents.T0.AddSeconds(1)));

        Assert.Empty(Detect.Run(interleaved.OrderBy(e => e.RequestTime), TestRules.Distinct()));
    }

    [Fact]
    public void Redelivered_and_multi_stage_events_do_not_inflate_the_count()
    {
        var noisy = Reads("mallory", 10, TimeSpan.FromSeconds(1))
            .SelectMany(e => new[] { e with { Stage = AuditStage.RequestReceived, ResponseCode = null }, e, e })
            .ToList();

        var counters = new PipelineCounters();
        var alert = Assert.Single(Detect.Run(noisy, [TestRules.Distinct()], null, counters).Firing());

        Assert.Equal(10, alert.Count);
        Assert.Equal(10, counters.Redeliveries);
        Assert.Equal(10, counters.RequestReceivedIgnored);
    }

    [Fact]
    public void Tracked_identities_are_capped_and_evictions_counted()
    {
        var manyUsers = Enumerable.Range(0, 50).Select(i => AuditEvents.SecretGet($"user-{i}", "ns", "s", AuditEvents.T0.AddSeconds(i)));
        var counters = new PipelineCounters();

        Detect.Run(manyUsers, [TestRules.Distinct()], new DetectionOptions { MaxGroupsPerRule = 10 }, counters);

        Assert.Equal(40, counters.Evictions);
    }

    [Fact]
    public void A_group_past_its_lifetime_that_makes_room_at_the_cap_has_expired_not_been_evicted()
    {
        // The distinct rule's groups live 6 minutes after their last read (window + 1 minute); its timer runs at whole
        // seconds. Ten users fill the cap; the eleventh comes 0.1 s after the first user's group expired, before the
        // timer: the first group makes room, and it had expired.
        var first = AuditEvents.T0.AddMilliseconds(300);
        var tenUsers = Enumerable.Range(0, 10).Select(i => AuditEvents.SecretGet($"user-{i}", "ns", "s", first.AddMilliseconds(i)));
        var eleventh = AuditEvents.SecretGet("user-10", "ns", "s", first.AddMinutes(6).AddMilliseconds(100));
        var counters = new PipelineCounters();

        Detect.Run([.. tenUsers, eleventh], [TestRules.Distinct()], new DetectionOptions { MaxGroupsPerRule = 10 }, counters);

        Assert.Equal(0, counters.Evictions);
    }

    [Fact]
    public void An_evicted_identity_resolves_its_open_incident()
    {
        var burst = Reads("mallory", 10, TimeSpan.FromSeconds(1));
        var others = Enumerable.Range(0, 5).Select(i => AuditEvents.SecretGet($"user-{i}", "ns", "s", AuditEvents.T0.AddSeconds(20 + i)));

        var alerts = Detect.Run(burst.Concat(others), TestRules.Distinct(), new DetectionOptions { MaxGroupsPerRule = 2 });

        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], alerts.Select(a => a.Status));
        Assert.Equal("mallory", alerts[1].User);
    }
}
