using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Tests.Normalize;

/// <summary>
/// The request memory finds exactly the requests it still remembers, checked against a plain queue and set over long
/// random runs: requests looked up again at random ages, the oldest forgotten as new ones come, the table growing.
/// </summary>
public sealed class RememberedRequestsTests
{
    [Theory]
    [InlineData(100, 1)]
    [InlineData(127, 4)] // the ring's 128 places all in use before the oldest is forgotten
    [InlineData(3_000, 2)]
    [InlineData(40_000, 3)]
    public void Finds_what_it_remembers_and_nothing_it_forgot(int capacity, int seed)
    {
        var random = new Random(seed);
        var memory = new RememberedRequests(capacity);
        var oracle = new Queue<(RequestKey Key, long AddedAt)>();
        var remembered = new HashSet<RequestKey>();
        var seen = new List<RequestKey>();
        for (var step = 0; step < 20 * capacity + 5_000; step++)
        {
            // Mostly new requests; otherwise one seen before, recently or long ago (perhaps forgotten).
            var key = seen.Count > 0 && random.Next(3) == 0
                ? seen[seen.Count - 1 - Math.Min(seen.Count - 1, random.Next(random.Next(2) == 0 ? 50 : 3 * capacity))]
                : NewKey(random, seen);
            ref var stages = ref memory.FindOrAdd(key, step, out var found);
            Assert.Equal(remembered.Contains(key), found);
            if (!found)
            {
                stages = StagesOf(key);
                oracle.Enqueue((key, step));
                remembered.Add(key);
            }
            else
            {
                // The request's own entry, not another's.
                Assert.Equal(StagesOf(key), stages);
            }

            // Forget the oldest now and then, and always beyond the capacity, so that the count goes up and down.
            while (oracle.Count > capacity || (oracle.Count > 0 && random.Next(5) == 0))
            {
                Assert.True(memory.TryPeekOldest(out var oldestAddedAt));
                Assert.Equal(oracle.Peek().AddedAt, oldestAddedAt);
                memory.RemoveOldest();
                remembered.Remove(oracle.Dequeue().Key);
            }

            Assert.Equal(oracle.Count, memory.Count);
        }

        Assert.All(oracle, entry =>
        {
            var stages = memory.FindOrAdd(entry.Key, 0, out var stillFound);
            Assert.True(stillFound);
            Assert.Equal(StagesOf(entry.Key), stages);
        });
        while (memory.TryPeekOldest(out _))
        {
            memory.RemoveOldest();
        }

        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void A_bursts_table_is_given_back_as_the_burst_is_forgotten_and_what_is_left_is_still_found()
    {
        var random = new Random(5);
        var memory = new RememberedRequests(100_000);
        var seen = new List<RequestKey>();
        for (var i = 0; i < 100_000; i++)
        {
            var key = NewKey(random, seen);
            memory.FindOrAdd(key, i, out _) = StagesOf(key);
        }

        var burstTable = memory.TableSlots;
        while (memory.Count > 1_000)
        {
            memory.RemoveOldest();
        }

        Assert.True(memory.TableSlots <= burstTable / 32, $"{memory.TableSlots} slots left of the burst's {burstTable}");
        foreach (var key in seen[99_000..])
        {
            var stages = memory.FindOrAdd(key, 0, out var found);
            Assert.True(found);
            Assert.Equal(StagesOf(key), stages);
        }

        // Forgotten ones are not found (and are added again, as new).
        foreach (var key in seen[..1_000])
        {
            memory.FindOrAdd(key, 0, out var found);
            Assert.False(found);
        }
    }

    private static StageSet StagesOf(RequestKey key) => (StageSet)(1 << (int)(key.Uuid.GetHashCode() & 1)) | (StageSet)(key.ReceivedTicks == 0 ? 4 : 0);

    private static RequestKey NewKey(Random random, List<RequestKey> seen)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        var key = new RequestKey(new Guid(bytes), random.Next(4), (ulong)random.Next(4));
        seen.Add(key);
        return key;
    }
}
