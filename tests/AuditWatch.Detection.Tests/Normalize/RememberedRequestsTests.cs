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
    [InlineData(3_000, 2)]
    [InlineData(40_000, 3)]
    public void Finds_what_it_remembers_and_nothing_it_forgot(int capacity, int seed)
    {
        var random = new Random(seed);
        var memory = new RememberedRequests(capacity);
        var oracle = new Queue<RequestKey>();
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
                stages = StageSet.ResponseComplete;
                oracle.Enqueue(key);
                remembered.Add(key);
            }
            else
            {
                Assert.Equal(StageSet.ResponseComplete, stages);
            }

            // Forget the oldest now and then, and always beyond the capacity, so that the count goes up and down.
            while (oracle.Count > capacity || (oracle.Count > 0 && random.Next(5) == 0))
            {
                memory.RemoveOldest();
                remembered.Remove(oracle.Dequeue());
            }

            Assert.Equal(oracle.Count, memory.Count);
        }

        Assert.All(oracle, key =>
        {
            memory.FindOrAdd(key, 0, out var stillFound);
            Assert.True(stillFound);
        });
        while (memory.TryPeekOldest(out _))
        {
            memory.RemoveOldest();
        }

        Assert.Equal(0, memory.Count);
    }

    private static RequestKey NewKey(Random random, List<RequestKey> seen)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        var key = new RequestKey(new Guid(bytes), random.Next(4), (ulong)random.Next(4));
        seen.Add(key);
        return key;
    }
}
