using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Detection.Windows;

namespace AuditWatch.Detection.Tests.Windows;

/// <summary>
/// A distinct window counts the distinct values seen within it, up to K, and holds no more than that needs: a value
/// last seen before the window gives its place to a new one.
/// </summary>
public sealed class RecentDistinctValuesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly EvidenceContexts _contexts = new();

    private static ApiRequest Read(string name, DateTimeOffset time) =>
        RequestNormalizer.Normalize(AuditEvents.SecretGet("alice", "dev", name, time));

    [Fact]
    public void Reading_now_and_then_holds_what_the_window_holds_not_K()
    {
        var recent = new RecentDistinctValues<ValueEntry>(10);
        for (var i = 0; i < 30; i++)
        {
            var time = AuditEvents.T0.AddSeconds(100 * i);
            recent.Touch($"s-{i}", Read($"s-{i}", time), time - Window, _contexts);

            // Reads 100 s apart: the one just made and the three before it are within 5 minutes.
            Assert.Equal(Math.Min(i + 1, 4), recent.CountSince(time - Window));
            Assert.True(recent.Held <= 4, $"{recent.Held} values held after read {i}");
        }
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(10, 2)]
    public void Counts_the_distinct_values_seen_within_the_window_up_to_K_on_random_reads(int capacity, int seed)
    {
        var random = new Random(seed);
        var recent = new RecentDistinctValues<ValueEntry>(capacity);
        var lastSeen = new Dictionary<string, DateTimeOffset>();
        var time = AuditEvents.T0;
        for (var i = 0; i < 5_000; i++)
        {
            time = time.AddSeconds(random.Next(random.Next(4) == 0 ? 400 : 30));
            var name = $"s-{random.Next(25)}";
            var windowStart = time - Window;
            recent.Touch(name, Read(name, time), windowStart, _contexts);
            lastSeen[name] = time;

            var within = lastSeen.Values.Count(t => t >= windowStart);
            Assert.Equal(Math.Min(capacity, within), recent.CountSince(windowStart));
            Assert.Equal(
                lastSeen.Where(p => p.Value >= windowStart).OrderByDescending(p => p.Value).Take(capacity).Select(p => p.Value).Order(),
                recent.Since(windowStart).Select(e => e.Time));
            Assert.True(recent.Held <= capacity);
        }
    }
}
