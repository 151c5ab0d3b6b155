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
}
