using AuditWatch.Core.Events;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Ordering;

/// <summary>
/// The waiting requests come out exactly as a sort by (event time, arrival) says, whatever mix of in-order and late
/// arrivals and takes in between: checked against that sort on random streams, ties of event time included.
/// </summary>
public sealed class PendingRequestsTests
{
    private static readonly AuditEvent Template = AuditEvents.SecretGet("a", "ns", "s", AuditEvents.T0);

    [Fact]
    public void Requests_come_out_in_event_time_then_arrival_order()
    {
        // Whole seconds: each its own slice of time, all of a slice's requests tied, so this checks the order across
        // slices and of ties; the tests below put requests out of order within a slice.
        CheckAgainstSort(new Random(11), rounds: 300, steps: 200, (random, clock) =>
        {
            var second = random.Next(3) == 0 ? Math.Max(0, clock - random.Next(20)) : clock;
            return TimeSpan.FromSeconds(second);
        });
    }

    [Fact]
    public void Requests_out_of_order_within_a_slice_of_time_come_out_in_order()
    {
        // Milliseconds and ticks: several requests to a slice, out of order within it, some arriving for a slice
        // already being taken from.
        CheckAgainstSort(new Random(7), rounds: 300, steps: 400, (random, clock) =>
            TimeSpan.FromMilliseconds(clock) - TimeSpan.FromTicks(random.Next(3) == 0 ? random.Next(200_000) : random.Next(20)));
    }

    [Fact]
    public void Requests_far_apart_and_in_reverse_come_out_in_order()
    {
        CheckAgainstSort(new Random(3), rounds: 100, steps: 300, (random, clock) =>
            TimeSpan.FromMinutes(1000 - clock) + TimeSpan.FromTicks(random.Next(4)));
    }

    [Fact]
    public void Clear_forgets_everything_and_the_buffer_works_on()
    {
        var pending = new PendingRequests();
        for (var i = 0; i < 50; i++)
        {
            pending.Add(At(TimeSpan.FromMilliseconds(50 - i)), i);
        }

        Assert.True(pending.TryPeekOldest(out _));
        pending.Clear();

        Assert.Equal(0, pending.Count);
        Assert.False(pending.TryPeekOldest(out _));
        pending.Add(At(TimeSpan.FromSeconds(2)), 50);
        pending.Add(At(TimeSpan.FromSeconds(1)), 51);
        Assert.Equal(AuditEvents.T0.AddSeconds(1), pending.TakeOldest().RequestTime);
        Assert.Equal(AuditEvents.T0.AddSeconds(2), pending.TakeOldest().RequestTime);
        Assert.Equal(0, pending.Count);
    }

    private static AuditEvent At(TimeSpan sinceT0) => Template with { StageTimestamp = AuditEvents.T0 + sinceT0, RequestReceivedTimestamp = null };

    /// <param name="timeAt">A request's time after T0, given the random source and a clock that mostly moves forward.</param>
    private static void CheckAgainstSort(Random random, int rounds, int steps, Func<Random, int, TimeSpan> timeAt)
    {
        for (var round = 0; round < rounds; round++)
        {
            var pending = new PendingRequests();
            var expected = new List<(AuditEvent Request, long Sequence)>();
            var taken = new List<long>();
            var oracle = new List<long>();
            var clock = 0;
            long sequence = 0;
            for (var step = 0; step < steps; step++)
            {
                if (random.Next(4) > 0)
                {
                    clock = Math.Clamp(clock + random.Next(-3, 4), 0, 999);
                    var request = At(timeAt(random, clock)) with { AuditId = $"r{sequence}" };
                    pending.Add(request, sequence);
                    expected.Add((request, sequence++));
                }
                else if (pending.Count > 0)
                {
                    Assert.True(pending.TryPeekOldest(out var time));
                    var oldest = expected.OrderBy(e => e.Request.RequestTime).ThenBy(e => e.Sequence).First();
                    Assert.Equal(oldest.Request.RequestTime, time);
                    taken.Add(long.Parse(pending.TakeOldest().AuditId.ToString()[1..]));
                    oracle.Add(oldest.Sequence);
                    expected.Remove(oldest);
                }

                Assert.Equal(expected.Count, pending.Count);
            }

            oracle.AddRange(expected.OrderBy(e => e.Request.RequestTime).ThenBy(e => e.Sequence).Select(e => e.Sequence));
            while (pending.Count > 0)
            {
                taken.Add(long.Parse(pending.TakeOldest().AuditId.ToString()[1..]));
            }

            Assert.Equal(oracle, taken);
        }
    }
}
