using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.TestSupport;

namespace AuditWatch.Detection.Tests.Ordering;

public sealed class FutureStampCheckTests
{
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = AuditEvents.T0;

    [Fact]
    public void A_request_a_day_ahead_of_the_stream_and_of_the_clock_is_ahead_and_takes_nothing_with_it()
    {
        var clock = new SteppedClock(T0);
        var check = new FutureStampCheck(Lateness, clock);

        Assert.False(check.IsAhead(T0));
        clock.Elapse(TimeSpan.FromSeconds(5));
        Assert.True(check.IsAhead(T0.AddDays(1)));
        Assert.Equal(T0.AddSeconds(5), check.LastAheadJudgedAt);

        // The requests after it are judged against the stream's own time, as if it had never come.
        clock.Elapse(TimeSpan.FromSeconds(5));
        Assert.False(check.IsAhead(T0.AddSeconds(10)));
        Assert.True(check.IsAhead(T0.AddSeconds(10).Add(Lateness).AddSeconds(1)));
    }

    [Fact]
    public void Up_to_the_allowed_lateness_ahead_is_on_time()
    {
        var clock = new SteppedClock(T0);
        var check = new FutureStampCheck(Lateness, clock);

        Assert.False(check.IsAhead(T0.Add(Lateness)));
        Assert.True(check.IsAhead(T0.Add(Lateness * 2).AddSeconds(1)));
    }

    [Fact]
    public void With_no_lateness_allowed_a_second_between_two_clocks_is_still_on_time()
    {
        var clock = new SteppedClock(T0);
        var check = new FutureStampCheck(TimeSpan.Zero, clock);

        Assert.False(check.IsAhead(T0.AddMilliseconds(900)));
        Assert.True(check.IsAhead(T0.AddSeconds(3)));
    }

    [Fact]
    public void A_backlog_read_hours_late_is_never_ahead_even_across_gaps_in_it()
    {
        var clock = new SteppedClock(T0.AddHours(6));
        var check = new FutureStampCheck(Lateness, clock);

        // Hours of event time in seconds of reading: far ahead of the stream's pace, never of the clock.
        foreach (var time in new[] { T0, T0.AddMinutes(10), T0.AddHours(3), T0.AddHours(5).AddMinutes(59) })
        {
            clock.Elapse(TimeSpan.FromMilliseconds(1));
            Assert.False(check.IsAhead(time));
        }
    }

    [Fact]
    public void A_host_clock_stepped_back_a_day_leaves_the_stream_its_own_time()
    {
        var clock = new SteppedClock(T0);
        var check = new FutureStampCheck(Lateness, clock);
        Assert.False(check.IsAhead(T0));

        clock.Step(TimeSpan.FromDays(-1));
        for (var minute = 1; minute <= 30; minute++)
        {
            clock.Elapse(TimeSpan.FromMinutes(1));
            Assert.False(check.IsAhead(T0.AddMinutes(minute)));
        }
    }

    [Fact]
    public void A_node_stamping_an_hour_ahead_among_on_time_requests_is_never_followed()
    {
        var clock = new SteppedClock(T0);
        var check = new FutureStampCheck(Lateness, clock);

        for (var second = 0; second < 600; second++)
        {
            clock.Elapse(TimeSpan.FromSeconds(1));
            Assert.False(check.IsAhead(T0.AddSeconds(second)));
            Assert.True(check.IsAhead(T0.AddSeconds(second).AddHours(1)));
        }
    }

    [Fact]
    public void With_this_host_an_hour_behind_the_source_is_followed_once_a_lateness_brought_nothing_else()
    {
        var clock = new SteppedClock(T0.AddHours(-1));
        var check = new FutureStampCheck(Lateness, clock);

        var verdicts = new List<bool>();
        for (var second = 0; second < 120; second++)
        {
            verdicts.Add(check.IsAhead(T0.AddSeconds(second)));
            clock.Elapse(TimeSpan.FromSeconds(1));
        }

        // The first minute of requests is judged alone; from then on the stream keeps its own time.
        Assert.Equal(Enumerable.Repeat(true, 60).Concat(Enumerable.Repeat(false, 60)), verdicts);
    }

    [Fact]
    public void On_a_sparse_stream_a_node_stamping_ahead_is_never_followed_though_minutes_pass_with_nothing_else()
    {
        var clock = new SteppedClock(T0);
        var check = new FutureStampCheck(Lateness, clock);
        Assert.False(check.IsAhead(T0));

        // A quiet cluster at night: an on-time request every 2 minutes, the broken node's 80 s apart between them.
        for (var round = 1; round <= 10; round++)
        {
            clock.Elapse(TimeSpan.FromSeconds(20));
            Assert.True(check.IsAhead(clock.GetUtcNow().AddHours(1)));
            clock.Elapse(TimeSpan.FromSeconds(80));
            Assert.True(check.IsAhead(clock.GetUtcNow().AddHours(1)));
            clock.Elapse(TimeSpan.FromSeconds(20));
            Assert.False(check.IsAhead(clock.GetUtcNow()));
        }
    }

    [Fact]
    public void A_node_stamping_years_ahead_is_never_followed_however_long_nothing_else_comes()
    {
        var clock = new SteppedClock(T0);
        var check = new FutureStampCheck(Lateness, clock);
        Assert.False(check.IsAhead(T0));

        for (var second = 1; second <= 600; second++)
        {
            clock.Elapse(TimeSpan.FromSeconds(1));
            Assert.True(check.IsAhead(T0.AddYears(73).AddSeconds(second)));
        }
    }

    [Fact]
    public void With_this_host_behind_a_backlog_read_fast_across_a_gap_is_followed_after_a_lateness()
    {
        var clock = new SteppedClock(T0.AddHours(-1));
        var check = new FutureStampCheck(Lateness, clock);
        var time = T0;
        for (var second = 0; second <= 60; second++)
        {
            check.IsAhead(time = T0.AddSeconds(second));
            clock.Elapse(TimeSpan.FromSeconds(1));
        }

        Assert.False(check.IsAhead(time));

        // Ten quiet minutes in the backlog, read in no time: past the stream's time and this host's clock.
        var verdicts = new List<bool>();
        for (var i = 0; i < 700; i++)
        {
            verdicts.Add(check.IsAhead(time = time.AddMinutes(i == 0 ? 10 : 0).AddMilliseconds(10)));
            clock.Elapse(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(verdicts[0]);
        Assert.Equal(600, verdicts.Count(ahead => ahead));
        Assert.All(verdicts.Skip(600), ahead => Assert.False(ahead));
    }
}
