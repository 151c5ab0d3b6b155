using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Tests.Detectors;

/// <summary>
/// The windowed detectors against brute-force oracles on random streams: several identities, reads arriving out of
/// order (within the allowed lateness), webhook redeliveries, and windows landing exactly on their edges.
/// </summary>
public sealed class WindowOracleTests
{
    private const int Rounds = 40;

    [Theory]
    [InlineData(10, 300)]
    [InlineData(3, 20)]
    [InlineData(5, 60)]
    public void Distinct_rule_fires_exactly_where_a_brute_force_count_of_distinct_objects_says(int threshold, int windowSeconds)
    {
        var rule = TestRules.Distinct(threshold, $"{windowSeconds}s");
        var random = new Random(threshold * 1000 + windowSeconds);
        for (var round = 0; round < Rounds; round++)
        {
            var reads = RandomReads(random, objects: threshold + 5, windowSeconds);

            var expected = Oracle(reads, threshold, TimeSpan.FromSeconds(windowSeconds), (window, _) => window.Select(r => r.ObjectRef!.Name).Distinct().Count());
            var actual = Detect.Run(Arrivals(random, reads), rule).Firing().Select(a => (a.User, a.LastSeen));

            Assert.Equal(expected, Sorted(actual));
        }
    }

    [Theory]
    [InlineData(10, 60)]
    [InlineData(4, 10)]
    public void Threshold_rule_fires_exactly_where_a_brute_force_count_says(int threshold, int windowSeconds)
    {
        var rule = TestRules.Threshold(threshold, $"{windowSeconds}s");
        var random = new Random(threshold * 7 + windowSeconds);
        for (var round = 0; round < Rounds; round++)
        {
            var reads = RandomReads(random, objects: 5, windowSeconds);

            var expected = Oracle(reads, threshold, TimeSpan.FromSeconds(windowSeconds), (window, _) => window.Count);
            var actual = Detect.Run(Arrivals(random, reads), rule).Firing().Select(a => (a.User, a.LastSeen));

            Assert.Equal(expected, Sorted(actual));
        }
    }

    [Fact]
    public void Final_tallies_count_every_read_of_the_incident()
    {
        var random = new Random(5);
        var rule = TestRules.Distinct(4, "30s");
        for (var round = 0; round < Rounds; round++)
        {
            var reads = RandomReads(random, objects: 8, 30);

            var alerts = Detect.Run(Arrivals(random, reads), rule);

            foreach (var incident in alerts.Final())
            {
                var expected = reads.Count(r => r.User.Username == incident.User && r.RequestTime >= incident.FirstSeen && r.RequestTime <= incident.LastSeen);
                Assert.True(incident.Count <= expected, $"{incident.Count} > {expected}");
                Assert.Equal(AlertStatus.Resolved, incident.Status);
            }
        }
    }

    /// <summary>Reads by three users at distinct whole seconds; gaps are sometimes exactly one window.</summary>
    private static List<AuditEvent> RandomReads(Random random, int objects, int windowSeconds)
    {
        var reads = new List<AuditEvent>();
        var second = 0;
        for (var i = 0; i < 150; i++)
        {
            second += random.Next(6) switch
            {
                0 => windowSeconds,
                1 => windowSeconds + 1,
                _ => random.Next(1, Math.Max(2, windowSeconds / 4)),
            };
            reads.Add(AuditEvents.SecretGet($"user-{random.Next(3)}", "ns", $"s-{random.Next(objects)}", AuditEvents.T0.AddSeconds(second)));
        }

        return reads;
    }

    /// <summary>Arrival order: each read delayed by up to 55 s (inside the 60 s lateness), and one in ten sent twice.</summary>
    private static IEnumerable<AuditEvent> Arrivals(Random random, List<AuditEvent> reads) => reads
        .SelectMany(r => random.Next(10) == 0 ? new[] { r, r } : [r])
        .Select(r => (Read: r, Arrival: r.RequestTime.AddSeconds(random.Next(0, 56)).AddTicks(random.Next(1000))))
        .OrderBy(x => x.Arrival)
        .Select(x => x.Read)
        .ToList();

    /// <summary>
    /// Per user, in time order: a read opens an incident when the measure of the reads in [t - window, t] reaches the
    /// threshold; an open incident swallows reads until a gap longer than the window.
    /// </summary>
    private static List<(string User, DateTimeOffset At)> Oracle(
        List<AuditEvent> reads, int threshold, TimeSpan window, Func<List<AuditEvent>, DateTimeOffset, int> measure)
    {
        var firings = new List<(string, DateTimeOffset)>();
        foreach (var user in reads.GroupBy(r => r.User.Username))
        {
            var ordered = user.OrderBy(r => r.RequestTime).ToList();
            DateTimeOffset? last = null;
            for (var i = 0; i < ordered.Count; i++)
            {
                var now = ordered[i].RequestTime;
                if (last is { } previous && now - previous > window)
                {
                    last = null;
                }

                if (last is not null)
                {
                    last = now;
                    continue;
                }

                var inWindow = ordered.Take(i + 1).Where(r => r.RequestTime >= now - window).ToList();
                if (measure(inWindow, now) >= threshold)
                {
                    firings.Add((user.Key, now));
                    last = now;
                }
            }
        }

        return Sorted(firings);
    }

    private static List<(string User, DateTimeOffset At)> Sorted(IEnumerable<(string User, DateTimeOffset At)> firings) =>
        [.. firings.OrderBy(f => f.At).ThenBy(f => f.User, StringComparer.Ordinal)];
}
