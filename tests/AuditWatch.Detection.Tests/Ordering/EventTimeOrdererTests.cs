using AuditWatch.Core.Events;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Ordering;

public sealed class EventTimeOrdererTests
{
    private readonly EventTimeOrderer _orderer = new(new EventTimeOptions { AllowedLateness = TimeSpan.FromSeconds(30) });

    private static AuditEvent At(int seconds) => AuditEvents.SecretGet("a", "ns", $"s{seconds}", AuditEvents.T0.AddSeconds(seconds));

    [Fact]
    public void Out_of_order_events_within_the_lateness_come_out_in_event_time_order()
    {
        var released = new List<AuditEvent>();
        foreach (var s in new[] { 10, 5, 20, 15, 0, 45, 70 })
        {
            _orderer.Add(At(s));
            released.AddRange(_orderer.TakeReleased());
        }

        Assert.Equal([0, 5, 10, 15, 20], released.Select(r => (int)(r.RequestTime - AuditEvents.T0).TotalSeconds));
        Assert.Equal(AuditEvents.T0.AddSeconds(40), _orderer.Watermark);
    }

    [Fact]
    public void Events_behind_the_watermark_are_late_and_counted()
    {
        _orderer.Add(At(100));
        Assert.Empty(_orderer.TakeReleased());

        Assert.False(_orderer.Add(At(60)));
        Assert.True(_orderer.Add(At(80)));
        Assert.Equal(1, _orderer.Late);
    }

    [Fact]
    public void Idle_time_moves_the_watermark_by_the_time_that_passed_not_to_now()
    {
        _orderer.Add(At(0));
        Assert.Empty(_orderer.TakeReleased());

        _orderer.AdvanceIdle(TimeSpan.FromSeconds(31));

        Assert.Single(_orderer.TakeReleased());
        Assert.Equal(AuditEvents.T0.AddSeconds(1), _orderer.Watermark);
    }

    [Fact]
    public void Complete_releases_everything()
    {
        _orderer.Add(At(3));
        _orderer.Add(At(1));
        _orderer.Complete();

        Assert.Equal([1, 3], _orderer.TakeReleased().Select(r => (int)(r.RequestTime - AuditEvents.T0).TotalSeconds));
    }

    [Fact]
    public void A_full_buffer_releases_the_oldest_early_and_says_so()
    {
        var orderer = new EventTimeOrderer(new EventTimeOptions { AllowedLateness = TimeSpan.FromHours(1), MaxBuffered = 3 });
        for (var s = 0; s < 5; s++)
        {
            orderer.Add(At(s));
        }

        Assert.Equal([0, 1], orderer.TakeReleased().Select(r => (int)(r.RequestTime - AuditEvents.T0).TotalSeconds));
        Assert.Equal(2, orderer.ForcedReleases);
    }
}
