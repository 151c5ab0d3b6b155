using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Tests.Decoding;

namespace AuditWatch.Ingestion.Tests.Queue;

public sealed class IngestQueueTests
{
    private static List<AuditEvent> Events(int count) =>
        [.. Decode.Text(string.Join("\n", Enumerable.Range(0, count).Select(i => SampleEvents.Get($"id-{i}")))).Select(r => r.Event!.Value)];

    [Fact]
    public void A_batch_that_does_not_fit_is_refused_whole_and_an_empty_queue_takes_any_batch()
    {
        var queue = new IngestQueue(5);
        var three = Events(3);
        var eight = Events(8);

        Assert.True(queue.TryEnqueue(new EventBatch(eight, "test")));
        Assert.False(queue.TryEnqueue(new EventBatch(three, "test")));
        Assert.Equal(8, queue.Depth);
        Assert.True(queue.Reader.TryRead(out var taken));
        queue.MarkTaken(taken);
        Assert.True(queue.TryEnqueue(new EventBatch(three, "test")));
        Assert.Equal(3, queue.Depth);
    }

    [Fact]
    public void A_batch_without_events_takes_no_room_and_is_taken_even_past_the_capacity()
    {
        // A position to save after the batches before it, or the end of a Kafka partition's lane: never refused for room.
        var queue = new IngestQueue(5);
        Assert.True(queue.TryEnqueue(new EventBatch(Events(8), "test")));

        Assert.True(queue.TryEnqueue(new EventBatch([], "test", Lane: "k8s-audit/0", DropLane: true)));
        Assert.True(queue.TryEnqueueAll([new EventBatch([], "file")]));
        Assert.Equal(8, queue.Depth);

        queue.Complete();
        Assert.False(queue.TryEnqueue(new EventBatch([], "test")));
    }

    [Fact]
    public void Batches_handed_over_together_are_taken_all_in_order_or_none()
    {
        var queue = new IngestQueue(10);
        Assert.True(queue.TryEnqueue(new EventBatch(Events(4), "test")));
        EventBatch[] chunk = [new(Events(4), "first"), new(Events(4), "second")];

        Assert.False(queue.TryEnqueueAll(chunk));
        Assert.Equal(4, queue.Depth);
        Assert.True(queue.Reader.TryRead(out var taken));
        queue.MarkTaken(taken);
        Assert.True(queue.TryEnqueueAll(chunk));

        Assert.Equal(8, queue.Depth);
        Assert.True(queue.Reader.TryRead(out var first));
        Assert.True(queue.Reader.TryRead(out var second));
        Assert.Equal(["first", "second"], new[] { first.Source, second.Source });
    }

    [Fact]
    public async Task A_source_waiting_for_room_is_taken_as_soon_as_detection_takes_a_batch()
    {
        var queue = new IngestQueue(5);
        Assert.True(queue.TryEnqueue(new EventBatch(Events(4), "test")));

        var waiting = queue.EnqueueWhenRoomAsync([new EventBatch(Events(3), "test")], CancellationToken.None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(4, queue.Depth);

        Assert.True(queue.Reader.TryRead(out var taken));
        queue.MarkTaken(taken);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, queue.Depth);
    }

    [Fact]
    public async Task Closing_the_queue_or_cancelling_ends_the_wait_without_taking_the_batch()
    {
        var queue = new IngestQueue(5);
        Assert.True(queue.TryEnqueue(new EventBatch(Events(4), "test")));
        using var cancel = new CancellationTokenSource();

        var cancelled = queue.EnqueueWhenRoomAsync([new EventBatch(Events(3), "test")], cancel.Token);
        var closed = queue.EnqueueWhenRoomAsync([new EventBatch(Events(3), "test")], CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(10)));
        queue.Complete();

        Assert.False(await closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(4, queue.Depth);
    }

    [Fact]
    public async Task Sources_waiting_on_a_busy_queue_lose_no_wake_up_and_no_batch()
    {
        // Each batch fills the queue, so every source waits on nearly every batch, racing detection's MarkTaken.
        var queue = new IngestQueue(2);
        var events = Events(2);
        const int sources = 3, batchesEach = 100_000;

        var producers = Enumerable.Range(0, sources).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < batchesEach; i++)
            {
                Assert.True(await queue.EnqueueWhenRoomAsync([new EventBatch(events, "test")], CancellationToken.None));
            }
        })).ToList();
        var consumer = Task.Run(async () =>
        {
            var taken = 0;
            while (taken < sources * batchesEach && await queue.Reader.WaitToReadAsync())
            {
                while (queue.Reader.TryRead(out var batch))
                {
                    queue.MarkTaken(batch);
                    taken++;
                }
            }

            return taken;
        });

        // A lost wake-up leaves a source waiting on a queue that has room: the run would never end. (About a second
        // here; the limit only ends a hung run, on however slow a machine.)
        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(sources * batchesEach, await consumer.WaitAsync(TimeSpan.FromMinutes(5)));
        Assert.Equal(0, queue.Depth);
    }
}
