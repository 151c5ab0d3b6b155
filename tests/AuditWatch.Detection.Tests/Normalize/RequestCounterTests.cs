using AuditWatch.Core.Events;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Normalize;

public sealed class RequestCounterTests
{
    private readonly RequestCounter _counter = new();

    [Fact]
    public void Request_received_is_ignored_and_the_completed_stage_counts()
    {
        var received = AuditEvents.SecretGet("a", "ns", "s", AuditEvents.T0, stage: AuditStage.RequestReceived, auditId: "x");
        var complete = received with { Stage = AuditStage.ResponseComplete, ResponseCode = 200 };

        Assert.Equal(StageVerdict.RequestReceivedIgnored, _counter.Observe(received));
        Assert.Equal(StageVerdict.Counted, _counter.Observe(complete));
    }

    [Theory]
    [InlineData(AuditStage.ResponseStarted, AuditStage.ResponseComplete)]
    [InlineData(AuditStage.ResponseComplete, AuditStage.ResponseStarted)]
    [InlineData(AuditStage.ResponseStarted, AuditStage.Panic)]
    public void A_long_running_request_counts_once_whatever_order_its_stages_arrive_in(AuditStage first, AuditStage second)
    {
        var watch = AuditEvents.SecretGet("a", "ns", "s", AuditEvents.T0, auditId: "w") with { Verb = "watch" };

        Assert.Equal(StageVerdict.Counted, _counter.Observe(watch with { Stage = first }));
        Assert.Equal(StageVerdict.LaterStage, _counter.Observe(watch with { Stage = second, StageTimestamp = AuditEvents.T0.AddMinutes(5) }));
    }

    [Fact]
    public void A_redelivered_batch_counts_once()
    {
        var e = AuditEvents.SecretGet("a", "ns", "s", AuditEvents.T0, auditId: "r");

        Assert.Equal(StageVerdict.Counted, _counter.Observe(e));
        Assert.Equal(StageVerdict.Redelivery, _counter.Observe(e));
        Assert.Equal(StageVerdict.Redelivery, _counter.Observe(e));
    }

    [Fact]
    public void A_request_stamped_ahead_as_a_stream_starts_is_remembered_when_it_was_judged_and_a_resent_batch_counts_it_once()
    {
        var ahead = AuditEvents.SecretGet("a", "ns", "s", AuditEvents.T0.AddYears(74), auditId: "ahead");

        Assert.Equal(StageVerdict.Counted, _counter.Observe(ahead, aheadJudgedAt: AuditEvents.T0));
        Assert.Equal(StageVerdict.Counted, _counter.Observe(AuditEvents.SecretGet("b", "ns", "s", AuditEvents.T0.AddSeconds(1))));

        // The webhook sends the first batch again.
        Assert.Equal(StageVerdict.Redelivery, _counter.Observe(ahead, aheadJudgedAt: AuditEvents.T0.AddSeconds(2)));
    }

    [Fact]
    public void A_client_chosen_audit_id_cannot_hide_another_request()
    {
        var first = AuditEvents.SecretGet("mallory", "ns", "one", AuditEvents.T0, auditId: "same");
        var second = AuditEvents.SecretGet("mallory", "ns", "two", AuditEvents.T0.AddSeconds(1), auditId: "same");

        Assert.Equal(StageVerdict.Counted, _counter.Observe(first));
        Assert.Equal(StageVerdict.Counted, _counter.Observe(second));
    }

    [Theory]
    [InlineData("user")]
    [InlineData("verb")]
    [InlineData("uri")]
    [InlineData("text id")]
    public void Requests_with_one_audit_id_and_receive_time_that_differ_in_one_part_each_count(string part)
    {
        var received = AuditEvents.T0.AddMilliseconds(1);
        var first = AuditEvents.SecretGet("mallory", "ns", "one", AuditEvents.T0, auditId: "same") with { RequestReceivedTimestamp = received };
        var second = part switch
        {
            "user" => first with { User = UserInfo.Named("alice") },
            "verb" => first with { Verb = "list" },
            "uri" => first with { RequestUri = first.RequestUri + "x" },
            _ => first with { AuditId = "Same" },
        };

        Assert.Equal(StageVerdict.Counted, _counter.Observe(first));
        Assert.Equal(StageVerdict.Counted, _counter.Observe(second));
        Assert.Equal(StageVerdict.Redelivery, _counter.Observe(second with { }));
        Assert.Equal(StageVerdict.Redelivery, _counter.Observe(first with { }));
    }

    [Fact]
    public void The_request_memory_holds_nothing_the_collector_must_scan()
    {
        // Its entries live for seconds in large arrays; with references in them, every gen0 collection scanned them
        // and those pauses were the p99 latency (benchmarks/README.md, tenth round).
        Assert.False(System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<RequestKey>());
    }

    [Fact]
    public void Memory_is_bounded_by_capacity_and_expires_in_event_time()
    {
        var counter = new RequestCounter(new RequestCounterOptions { Capacity = 100, Memory = TimeSpan.FromMinutes(1) });
        for (var i = 0; i < 1000; i++)
        {
            counter.Observe(AuditEvents.SecretGet("a", "ns", $"s{i}", AuditEvents.T0.AddMilliseconds(i)));
        }

        Assert.Equal(100, counter.Remembered);
        Assert.Equal(900, counter.Evictions);

        counter.Observe(AuditEvents.SecretGet("a", "ns", "late", AuditEvents.T0.AddHours(1)));
        Assert.Equal(1, counter.Remembered);
    }

    [Fact]
    public void Later_stages_of_requests_seen_long_before_are_recognised()
    {
        var counter = new RequestCounter();
        var started = Enumerable.Range(0, 5000)
            .Select(i => AuditEvents.SecretGet("a", "ns", $"s{i}", AuditEvents.T0.AddMilliseconds(i), stage: AuditStage.ResponseStarted) with { Verb = "watch" })
            .ToList();

        Assert.All(started, e => Assert.Equal(StageVerdict.Counted, counter.Observe(e)));
        Assert.All(started, e => Assert.Equal(StageVerdict.LaterStage, counter.Observe(e with { Stage = AuditStage.ResponseComplete })));
        Assert.All(started, e => Assert.Equal(StageVerdict.Redelivery, counter.Observe(e with { Stage = AuditStage.ResponseComplete })));
        Assert.Equal(5000, counter.Remembered);
    }

    [Fact]
    public void Going_round_its_memory_many_times_keeps_the_newest_requests_and_forgets_the_oldest()
    {
        // 20,000 requests fill more than one segment of the ring; 100,000 go round it several times, so segments are
        // given back as the oldest are forgotten and taken again for the newest.
        const int Capacity = 20_000;
        var counter = new RequestCounter(new RequestCounterOptions { Capacity = Capacity });
        var started = Enumerable.Range(0, 100_000)
            .Select(i => AuditEvents.SecretGet("a", "ns", $"s{i}", AuditEvents.T0.AddMilliseconds(i), stage: AuditStage.ResponseStarted) with { Verb = "watch" })
            .ToList();

        for (var i = 0; i < started.Count; i++)
        {
            Assert.Equal(StageVerdict.Counted, counter.Observe(started[i]));
            if (i >= Capacity && i % 997 == 0)
            {
                var oldestRemembered = started[i - Capacity + 1];
                Assert.Equal(StageVerdict.LaterStage, counter.Observe(oldestRemembered with { Stage = AuditStage.ResponseComplete }));
            }
        }

        Assert.Equal(Capacity, counter.Remembered);
        Assert.Equal(started.Count - Capacity, counter.Evictions);
        Assert.All(started[^Capacity..], e => Assert.NotEqual(StageVerdict.Counted, counter.Observe(e with { Stage = AuditStage.ResponseComplete })));
        Assert.Equal(StageVerdict.Counted, counter.Observe(started[^(Capacity + 1)] with { Stage = AuditStage.ResponseComplete }));
    }

    [Fact]
    public void Requests_sharing_one_audit_id_and_receive_time_stay_apart_until_each_is_forgotten_in_turn()
    {
        // Same client-chosen Audit-ID and receive time: every request lands in one bucket, told apart by its URI.
        var counter = new RequestCounter(new RequestCounterOptions { Capacity = 1500 });
        var requests = Enumerable.Range(0, 3000)
            .Select(i => AuditEvents.SecretGet("mallory", "ns", $"s{i}", AuditEvents.T0, auditId: "chosen"))
            .ToList();

        Assert.All(requests, e => Assert.Equal(StageVerdict.Counted, counter.Observe(e)));
        Assert.Equal(1500, counter.Evictions);
        Assert.All(requests[1500..], e => Assert.Equal(StageVerdict.Redelivery, counter.Observe(e)));

        // The first half was forgotten, oldest first: each counts again and pushes out the oldest still remembered.
        Assert.Equal(StageVerdict.Counted, counter.Observe(requests[0]));
        Assert.Equal(StageVerdict.Counted, counter.Observe(requests[1500]));
        Assert.Equal(StageVerdict.Redelivery, counter.Observe(requests[2999]));
        Assert.Equal(1500, counter.Remembered);
    }
}
