using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Detectors.DistinctReads;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Detectors;

public sealed class DistinctReadsTests
{
    private static IEnumerable<AuditEvent> Reads(string user, int count, TimeSpan every, DateTimeOffset? start = null, string ns = "default") =>
        Enumerable.Range(0, count).Select(i => AuditEvents.SecretGet(user, ns, $"secret-{i}", (start ?? AuditEvents.T0) + (every * i)));

    [Fact]
    public void Ten_distinct_reads_within_five_minutes_raise_one_alert_with_the_evidence()
    {
        var alert = Assert.Single(Detect.Run(Reads("mallory", 10, TimeSpan.FromSeconds(20))), a => a.Status == AlertStatus.Firing);

        Assert.Equal(DistinctReadsOptions.RuleId, alert.Rule);
        Assert.Equal("mallory", alert.User);
        Assert.Equal(AlertStatus.Firing, alert.Status);
        Assert.Equal(10, alert.Count);
        Assert.Equal(10, alert.DistinctObjects);
        Assert.Equal(AuditEvents.T0, alert.FirstSeen);
        Assert.Equal(AuditEvents.T0.AddSeconds(180), alert.LastSeen);
        Assert.Equal(["default"], alert.Namespaces);
        Assert.Contains("default/secret-0", alert.Objects);
        Assert.Equal(10, alert.AuditIds.Count);
        Assert.StartsWith("mallory read 10 distinct Secrets", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Nine_distinct_reads_stay_quiet()
    {
        Assert.Empty(Detect.Run(Reads("alice", 9, TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void Ten_reads_spread_wider_than_the_window_stay_quiet()
    {
        Assert.Empty(Detect.Run(Reads("alice", 10, TimeSpan.FromSeconds(40))));
    }

    [Fact]
    public void Rereading_the_same_secrets_is_not_distinct()
    {
        var events = Enumerable.Range(0, 100).Select(i => AuditEvents.SecretGet("operator", "monitoring", $"s{i % 8}", AuditEvents.T0.AddSeconds(i)));

        Assert.Empty(Detect.Run(events));
    }

    [Fact]
    public void Denied_reads_count_and_are_reported_separately()
    {
        var events = Reads("probe", 6, TimeSpan.FromSeconds(1))
            .Concat(Enumerable.Range(0, 4).Select(i => AuditEvents.SecretGet("probe", "vault", $"v{i}", AuditEvents.T0.AddSeconds(10 + i), code: 403)));

        var alert = Assert.Single(Detect.Run(events), a => a.Status == AlertStatus.Firing);

        Assert.Equal(new OutcomeCounts(6, 4, 0, 0), alert.Outcomes);
        Assert.Contains("4 denied", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ongoing_incident_updates_instead_of_firing_again()
    {
        var options = new DetectionOptions { DistinctReads = new() { Suppression = TimeSpan.FromMinutes(5) } };

        var alerts = Detect.Run(Reads("mallory", 100, TimeSpan.FromSeconds(6)), options);

        Assert.Equal([AlertStatus.Firing, AlertStatus.Update, AlertStatus.Resolved], alerts.Select(a => a.Status));
        Assert.Single(alerts.Select(a => a.IncidentId).Distinct());
        Assert.True(alerts[1].Count > alerts[0].Count);
        Assert.True(alerts[1].SuppressedRepeats > 0);
        Assert.Equal(100, alerts[2].Count);
        Assert.Equal(100, alerts[2].DistinctObjects);
        Assert.Equal(AuditEvents.T0.AddSeconds(99 * 6), alerts[2].LastSeen);
    }

    [Fact]
    public void An_incident_resolves_with_its_final_tally_after_a_quiet_window()
    {
        var first = Reads("mallory", 12, TimeSpan.FromSeconds(5));
        var later = Reads("mallory", 10, TimeSpan.FromSeconds(5), AuditEvents.T0.AddHours(1), "prod");

        var alerts = Detect.Run(first.Concat(later));

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

        Assert.Empty(Detect.Run(interleaved.OrderBy(e => e.RequestTime)));
    }

    [Fact]
    public void Redelivered_and_multi_stage_events_do_not_inflate_the_count()
    {
        var reads = Reads("mallory", 10, TimeSpan.FromSeconds(1)).ToList();
        var noisy = reads
            .SelectMany(e => new[] { e with { Stage = AuditStage.RequestReceived, ResponseCode = null }, e, e })
            .ToList();

        var counters = new PipelineCounters();
        var alert = Assert.Single(Detect.Run(noisy, null, counters), a => a.Status == AlertStatus.Firing);

        Assert.Equal(10, alert.Count);
        Assert.Equal(10, counters.Redeliveries);
        Assert.Equal(10, counters.RequestReceivedIgnored);
    }

    [Fact]
    public void Arrival_order_within_the_lateness_does_not_change_the_alerts()
    {
        var random = new Random(1234);
        for (var round = 0; round < 50; round++)
        {
            var events = Enumerable.Range(0, 300)
                .Select(i => AuditEvents.SecretGet($"user-{random.Next(4)}", $"ns-{random.Next(3)}", $"s-{random.Next(12)}", AuditEvents.T0.AddSeconds(i * 2)))
                .ToList();
            var shuffled = events
                .Select(e => (Event: e, Arrival: e.RequestTime.AddSeconds(random.Next(0, 55))))
                .OrderBy(x => x.Arrival)
                .Select(x => x.Event);

            var inOrder = Detect.Run(events).Select(Describe);
            var outOfOrder = Detect.Run(shuffled).Select(Describe);

            Assert.Equal(inOrder, outOfOrder);
        }
    }

    [Fact]
    public void Alerts_match_a_brute_force_count_of_distinct_objects_in_every_window()
    {
        var random = new Random(99);
        for (var round = 0; round < 30; round++)
        {
            var events = Enumerable.Range(0, 200)
                .Select(i => AuditEvents.SecretGet($"user-{random.Next(3)}", "ns", $"s-{random.Next(15)}", AuditEvents.T0.AddSeconds(i * random.Next(1, 8))))
                .OrderBy(e => e.RequestTime)
                .ToList();

            var expected = BruteForceFirstFirings(events, 10, TimeSpan.FromMinutes(5));
            var actual = Detect.Run(events).Where(a => a.Status == AlertStatus.Firing).Select(a => (a.User, a.LastSeen)).ToList();

            Assert.Equal(expected, actual.OrderBy(a => a.LastSeen).ThenBy(a => a.User, StringComparer.Ordinal).ToList());
        }
    }

    /// <summary>
    /// The oracle: for each user, walk the reads and at each one count distinct objects in the trailing window by
    /// brute force; a firing is the first read that reaches the threshold, and an incident ends after a gap longer
    /// than the window.
    /// </summary>
    private static List<(string User, DateTimeOffset At)> BruteForceFirstFirings(List<AuditEvent> events, int threshold, TimeSpan window)
    {
        var firings = new List<(string, DateTimeOffset)>();
        foreach (var user in events.GroupBy(e => e.User.Username))
        {
            var reads = user.ToList();
            DateTimeOffset? incidentLast = null;
            for (var i = 0; i < reads.Count; i++)
            {
                var now = reads[i].RequestTime;
                if (incidentLast is { } last && now - last > window)
                {
                    incidentLast = null;
                }

                if (incidentLast is not null)
                {
                    incidentLast = now;
                    continue;
                }

                var distinct = reads.Take(i + 1).Where(r => r.RequestTime >= now - window).Select(r => r.ObjectRef!.Name).Distinct().Count();
                if (distinct >= threshold)
                {
                    firings.Add((user.Key, now));
                    incidentLast = now;
                }
            }
        }

        return [.. firings.OrderBy(f => f.Item2).ThenBy(f => f.Item1, StringComparer.Ordinal)];
    }

    private static string Describe(Alert a) =>
        $"{a.Rule}|{a.User}|{a.Status}|{a.FirstSeen:O}|{a.LastSeen:O}|{a.Count}|{a.DistinctObjects}|{a.IncidentId}";
}
