using AuditWatch.Core.Events;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Ordering;

public sealed class ReplayStampCheckTests
{
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = AuditEvents.T0;
    private static readonly DateTimeOffset Broken = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void At_the_start_requests_are_held_until_enough_entries_after_the_first_reach_its_time()
    {
        var run = new Run();
        var steady = Steady(T0, ReplayStampCheck.VotesToFollow + 5);
        run.Feed(steady.Take(ReplayStampCheck.VotesToFollow));
        Assert.Equal(ReplayStampCheck.VotesToFollow, run.Check.Held);

        run.Feed(steady.Skip(ReplayStampCheck.VotesToFollow));

        Assert.Equal(0, run.Check.Held);
        Assert.Equal(steady.Select(e => e.AuditId), run.Passed.Select(p => p.Event.AuditId));
        Assert.All(run.Passed, p => Assert.Null(p.AheadJudgedAt));
    }

    [Fact]
    public void A_stamp_decades_ahead_among_steady_requests_is_judged_alone_at_the_stream_time_and_the_stream_stays()
    {
        var run = Run.Started();
        var before = Steady(T0, 4);
        var after = Steady(T0.AddSeconds(20), 10);
        run.Feed(before);
        var broken = Read(Broken);
        run.Feed(broken);
        Assert.Equal(1, run.Check.Held);

        run.Feed(after);

        Assert.Equal(15, run.Passed.Count);
        Assert.Equal(0, run.Check.Held);
        var ahead = Assert.Single(run.Passed, p => p.AheadJudgedAt is not null);
        Assert.Equal(broken.AuditId, ahead.Event.AuditId);
        Assert.Equal(T0.AddSeconds(15), ahead.AheadJudgedAt);

        // Judged when the third entry after it, written well before its stamp, came; everything passed in the order it came.
        Assert.Equal(before.Append(broken).Concat(after).Select(e => e.AuditId), run.Passed.Select(p => p.Event.AuditId));
    }

    [Fact]
    public void A_recording_that_starts_with_broken_stamps_judges_them_alone_at_the_time_the_recording_was_written()
    {
        var run = new Run();
        var broken = new[] { Read(Broken), Read(Broken.AddSeconds(1)) };
        var steady = Steady(T0, ReplayStampCheck.VotesToFollow + 20);
        run.Feed(broken);
        run.Feed(steady);

        Assert.Equal(0, run.Check.Held);
        Assert.Equal(broken.Select(e => e.AuditId), run.Passed.Where(p => p.AheadJudgedAt is not null).Select(p => p.Event.AuditId));
        Assert.All(run.Passed.Where(p => p.AheadJudgedAt is not null), p => Assert.Equal(steady[2].StageTimestamp, p.AheadJudgedAt));
        Assert.Equal(steady.Select(e => e.AuditId), run.Passed.Where(p => p.AheadJudgedAt is null).Select(p => p.Event.AuditId));
    }

    [Fact]
    public void A_quiet_gap_is_followed_once_enough_entries_after_it_reach_its_time_and_all_pass_in_order()
    {
        var run = Run.Started();
        var before = Steady(T0, 10);
        var after = Steady(T0.AddHours(2), ReplayStampCheck.VotesToFollow + 50);
        run.Feed(before);
        run.Feed(after.Take(ReplayStampCheck.VotesToFollow));
        Assert.Equal(ReplayStampCheck.VotesToFollow, run.Check.Held);

        run.Feed(after.Skip(ReplayStampCheck.VotesToFollow));

        Assert.Equal(0, run.Check.Held);
        Assert.All(run.Passed, p => Assert.Null(p.AheadJudgedAt));
        Assert.Equal(before.Concat(after).Select(e => e.AuditId), run.Passed.Select(p => p.Event.AuditId));
    }

    [Fact]
    public void A_gap_near_the_end_of_the_recording_is_followed_at_the_end()
    {
        var run = Run.Started();
        run.Feed(Steady(T0, 10));
        run.Feed(Steady(T0.AddHours(2), 5));
        Assert.Equal(5, run.Check.Held);

        run.Complete();

        Assert.Equal(15, run.Passed.Count);
        Assert.All(run.Passed, p => Assert.Null(p.AheadJudgedAt));
    }

    [Fact]
    public void A_broken_stamp_right_after_a_quiet_gap_is_told_from_the_requests_after_the_gap()
    {
        var run = Run.Started();
        var after = Steady(T0.AddHours(2), ReplayStampCheck.VotesToFollow + 20);
        var broken = Read(Broken);
        run.Feed(Steady(T0, 10));
        run.Feed(after[0]);
        run.Feed(broken);
        run.Feed(after.Skip(1));

        Assert.Equal(0, run.Check.Held);
        var ahead = Assert.Single(run.Passed, p => p.AheadJudgedAt is not null);
        Assert.Equal(broken.AuditId, ahead.Event.AuditId);

        // Judged when its turn came, after the stream followed the gap: its incident is near the requests after the gap.
        Assert.Equal(after[0].RequestTime, ahead.AheadJudgedAt);
    }

    [Fact]
    public void One_voted_ahead_while_a_gap_waited_before_it_is_followed_with_the_gap_when_it_is_within_reach_of_it()
    {
        var run = Run.Started();
        var gap = T0.AddHours(2);
        var first = Read(gap);
        var soonAfter = Read(gap.AddSeconds(30));

        // Written before soonAfter's stamp less the lateness, but not before first's: late if both are taken, as live.
        var behind = Enumerable.Range(0, ReplayStampCheck.VotesAhead).Select(i => Read(gap.AddSeconds(-50 + i))).ToList();
        var after = Steady(gap.AddSeconds(40), ReplayStampCheck.VotesToFollow);
        run.Feed(Read(T0));
        run.Feed([first, soonAfter]);
        run.Feed(behind);
        run.Feed(after);

        Assert.Equal(0, run.Check.Held);
        Assert.All(run.Passed, p => Assert.Null(p.AheadJudgedAt));
    }

    [Fact]
    public void A_watch_begun_before_a_gap_and_ended_after_it_does_not_make_the_gap_look_like_a_broken_stamp()
    {
        var run = Run.Started();
        var after = Steady(T0.AddHours(2), 10);
        run.Feed(Steady(T0, 10));
        run.Feed(after[0]);

        // Each carries a request time before the gap, but was written after it.
        run.Feed(Enumerable.Range(0, ReplayStampCheck.VotesAhead + 1).Select(i => Read(T0.AddSeconds(40)) with { StageTimestamp = T0.AddHours(2).AddSeconds(i) }));
        run.Feed(after.Skip(1));
        run.Complete();

        Assert.All(run.Passed, p => Assert.Null(p.AheadJudgedAt));
        Assert.Equal(24, run.Passed.Count);
    }

    [Fact]
    public void A_request_a_little_more_than_the_lateness_ahead_with_requests_filling_in_behind_it_is_followed_and_they_pass_after_it()
    {
        var run = Run.Started();
        var first = Read(T0);
        var early = Read(T0.AddSeconds(70));
        var fillingIn = Enumerable.Range(0, ReplayStampCheck.VotesToFollow).Select(i => Read(T0.AddSeconds(15).AddMilliseconds(i * 100))).ToList();
        run.Feed([first, early]);
        Assert.Equal(1, run.Check.Held);

        // Out of order by less than the lateness: written after the early one's stamp less the lateness.
        run.Feed(fillingIn);

        Assert.Equal(0, run.Check.Held);
        Assert.All(run.Passed, p => Assert.Null(p.AheadJudgedAt));
        Assert.Equal(new[] { first, early }.Concat(fillingIn).Select(e => e.AuditId), run.Passed.Select(p => p.Event.AuditId));
    }

    [Fact]
    public void A_node_with_a_broken_clock_writing_a_third_of_the_entries_is_never_followed()
    {
        var random = new Random(7);
        var run = new Run();
        var time = T0;
        var brokenIds = new List<string>();
        for (var i = 0; i < 6_000; i++)
        {
            time = time.AddMilliseconds(random.Next(1, 200));
            var broken = random.Next(3) == 0;
            var read = Read(broken ? time.AddDays(1) : time);
            if (broken)
            {
                brokenIds.Add(read.AuditId.ToString());
            }

            run.Feed(read);
        }

        // The recording ends on healthy entries, so that the last of the node's have votes too.
        run.Feed(Steady(time.AddSeconds(1), ReplayStampCheck.VotesAhead));
        run.Complete();

        Assert.Equal(6_000 + ReplayStampCheck.VotesAhead, run.Passed.Count);
        Assert.Equal(brokenIds, run.Passed.Where(p => p.AheadJudgedAt is not null).Select(p => p.Event.AuditId.ToString()));
    }

    [Fact]
    public void At_the_end_what_is_not_judged_ahead_is_followed_as_every_stamp_was_before()
    {
        var run = Run.Started();
        var first = Read(T0);
        var jump = Read(T0.AddMinutes(5));
        var straggler = Read(T0.AddMinutes(1));
        run.Feed([first, jump, straggler]);
        run.Complete();

        Assert.Equal([first.AuditId, jump.AuditId, straggler.AuditId], run.Passed.Select(p => p.Event.AuditId));
        Assert.All(run.Passed, p => Assert.Null(p.AheadJudgedAt));
    }

    [Fact]
    public void Entries_that_can_never_count_pass_at_once_and_do_not_vote()
    {
        var run = Run.Started();
        run.Feed(Read(T0));
        run.Feed(Read(Broken));
        run.Feed(Enumerable.Range(0, 5).Select(i => Read(T0.AddSeconds(i), AuditStage.RequestReceived)));

        Assert.Equal(1, run.Check.Held);
        Assert.Equal(6, run.Passed.Count);
    }

    private static AuditEvent Read(DateTimeOffset time, AuditStage stage = AuditStage.ResponseComplete) =>
        AuditEvents.SecretGet("alice", "prod", "db", time, stage: stage);

    private static List<AuditEvent> Steady(DateTimeOffset from, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Read(from.AddSeconds(i * 5)))];

    private sealed class Run
    {
        private readonly Action<AuditEvent, DateTimeOffset?> _pass;

        public Run() => _pass = (e, at) => Passed.Add((e, at));

        public ReplayStampCheck Check { get; } = new(Lateness);

        public List<(AuditEvent Event, DateTimeOffset? AheadJudgedAt)> Passed { get; } = [];

        /// <summary>A run past its start, whose stream has a time: the last of its steady requests was five seconds before T0.</summary>
        public static Run Started()
        {
            var run = new Run();
            run.Feed(Steady(T0.AddSeconds(-5 * (ReplayStampCheck.VotesToFollow + 1)), ReplayStampCheck.VotesToFollow + 1));
            Assert.Equal(0, run.Check.Held);
            run.Passed.Clear();
            return run;
        }

        public void Feed(AuditEvent auditEvent) => Check.Judge(auditEvent, _pass);

        public void Feed(IEnumerable<AuditEvent> events)
        {
            foreach (var auditEvent in events)
            {
                Feed(auditEvent);
            }
        }

        public void Complete() => Check.Complete(_pass);
    }
}
