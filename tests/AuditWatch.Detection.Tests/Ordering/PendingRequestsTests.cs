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
    private static readonly AuditEvent[] Templates = [.. Enumerable.Range(0, 60).Select(s =>
        AuditEvents.SecretGet("a", "ns", "s", AuditEvents.T0.AddSeconds(s)))];

    [Fact]
    public void Requests_come_out_in_event_time_then_arrival_order()
    {
        var random = new Random(11);
        for (var round = 0; round < 300; round++)
        {
            var pending = new PendingRequests();
            var expected = new List<(AuditEvent Request, long Sequence)>();
            var taken = new List<AuditEvent>();
            var oracle = new List<AuditEvent>();
            var clock = 0;
            long sequence = 0;
            for (var step = 0; step < 200; step++)
            {
                if (random.Next(4) > 0)
                {
                    // Mostly moving forward, sometimes late, often the same second (ties).
                    clock = Math.Clamp(clock + random.Next(-3, 4), 0, Templates.Length - 1);
                    var request = Templates[random.Next(3) == 0 ? Math.Max(0, clock - random.Next(20)) : clock] with { AuditId = $"r{sequence}" };
                    pending.Add(request, sequence);
                    expected.Add((request, sequence++));
                }
                else if (pending.Count > 0)
                {
                    Assert.True(pending.TryPeekOldest(out var time));
                    var oldest = expected.OrderBy(e => e.Request.RequestTime).ThenBy(e => e.Sequence).First();
                    Assert.Equal(oldest.Request.RequestTime, time);
                    taken.Add(pending.TakeOldest());
                    oracle.Add(oldest.Request);
                    expected.Remove(oldest);
                }
            }

            Assert.Equal(expected.Count, pending.Count);
            Assert.Equal(oracle.Select(r => r.AuditId), taken.Select(r => r.AuditId));
        }
    }
}
