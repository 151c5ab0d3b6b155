using AuditWatch.Hosting;
using AuditWatch.Ingestion.Queue;

namespace AuditWatch.Tests.Hosting;

public sealed class BatchesAwaitingWatermarkTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly List<string> _told = [];

    private EventBatch Batch(string name) => new([], "test", () => _told.Add($"{name} processed"))
    {
        SafePointReached = position => _told.Add($"{name} at {position}"),
    };

    private static long At(double seconds) => Start.AddSeconds(seconds).UtcTicks;

    [Fact]
    public void A_batch_is_processed_once_the_watermark_reaches_its_newest_request_and_not_before()
    {
        var awaiting = new BatchesAwaitingWatermark();
        awaiting.Add(Batch("a"), [], At(10));

        awaiting.Passed(Start.AddSeconds(9.999));
        Assert.Empty(_told);

        awaiting.Passed(Start.AddSeconds(10));
        Assert.Equal(["a processed"], _told);
        Assert.Equal(0, awaiting.Count);
    }

    [Fact]
    public void Batches_are_processed_in_the_order_they_went_in_even_when_a_later_one_is_older()
    {
        var awaiting = new BatchesAwaitingWatermark();
        awaiting.Add(Batch("a"), [], At(20));
        awaiting.Add(Batch("b"), [], At(5));

        awaiting.Passed(Start.AddSeconds(10));
        Assert.Empty(_told);

        awaiting.Passed(Start.AddSeconds(20));
        Assert.Equal(["a processed", "b processed"], _told);
    }

    [Fact]
    public void A_batch_added_behind_the_watermark_is_processed_at_once()
    {
        var awaiting = new BatchesAwaitingWatermark();
        awaiting.Passed(Start.AddSeconds(30));

        awaiting.Add(Batch("late"), [], At(29));

        Assert.Equal(["late processed"], _told);
    }

    [Fact]
    public void Safe_points_are_reached_in_order_and_those_closer_than_the_spacing_count_as_the_later_one()
    {
        var awaiting = new BatchesAwaitingWatermark();

        // One point per message: 1.00 s, 1.05 s and 1.10 s are one group (the 1.10 s one stands for all three);
        // 1.20 s starts the next group with 1.25 s; the batch itself ends at 3 s.
        awaiting.Add(Batch("a"), [(At(1.00), 11), (At(1.05), 12), (At(1.10), 13), (At(1.20), 14), (At(1.25), 15)], At(3));

        awaiting.Passed(Start.AddSeconds(1.05));
        Assert.Empty(_told);
        awaiting.Passed(Start.AddSeconds(1.10));
        Assert.Equal(["a at 13"], _told);
        awaiting.Passed(Start.AddSeconds(2));
        Assert.Equal(["a at 13", "a at 15"], _told);
        awaiting.Passed(Start.AddSeconds(3));
        Assert.Equal(["a at 13", "a at 15", "a processed"], _told);
    }

    [Fact]
    public void After_hand_back_nothing_more_is_reached_or_processed()
    {
        var awaiting = new BatchesAwaitingWatermark();
        awaiting.Add(Batch("a"), [(At(1), 1)], At(2));
        awaiting.Add(Batch("b"), [(At(3), 3)], At(4));
        awaiting.Passed(Start.AddSeconds(2));

        awaiting.HandBack();
        awaiting.Passed(Start.AddSeconds(10));
        awaiting.Add(Batch("c"), [], At(0));

        Assert.Equal(["a at 1", "a processed"], _told);
        Assert.Equal(0, awaiting.Count);
    }
}
