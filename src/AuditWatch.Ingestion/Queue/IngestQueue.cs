using System.Threading.Channels;

namespace AuditWatch.Ingestion.Queue;

/// <summary>
/// The bounded hand-off between sources and detection, sized in events. A batch is taken whole or refused whole, so a
/// source can answer "try again" (HTTP 429) without having half of a batch in flight; what was taken is never dropped.
/// </summary>
public sealed class IngestQueue
{
    private readonly Channel<EventBatch> _channel = Channel.CreateUnbounded<EventBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly long _capacity;
    private long _pending;
    private bool _completed;

    public IngestQueue(long capacityEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityEvents, 1);
        _capacity = capacityEvents;
    }

    public long Capacity => _capacity;

    /// <summary>Events accepted and not yet through detection.</summary>
    public long Depth => Interlocked.Read(ref _pending);

    public ChannelReader<EventBatch> Reader => _channel.Reader;

    /// <summary>Accepts the whole batch, or nothing when it does not fit or the queue is closed.</summary>
    public bool TryEnqueue(EventBatch batch)
    {
        lock (_gate)
        {
            if (WouldRefuse(batch.Events.Count))
            {
                return false;
            }

            // Atomic even under the lock: the reader takes batches off without it.
            Interlocked.Add(ref _pending, batch.Events.Count);
            return _channel.Writer.TryWrite(batch);
        }
    }

    /// <summary>Whether a batch of that many events would be refused now (advisory: the queue may change meanwhile).</summary>
    public bool WouldRefuse(long events)
    {
        // An empty queue takes any batch, so one batch larger than the capacity cannot be refused forever.
        var pending = Interlocked.Read(ref _pending);
        return _completed || (pending > 0 && pending + events > _capacity);
    }

    /// <summary>Called by the reader once detection has taken every event of the batch.</summary>
    public void MarkTaken(EventBatch batch) => Interlocked.Add(ref _pending, -batch.Events.Count);

    /// <summary>No more batches: the reader drains what was accepted and then ends.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            _channel.Writer.TryComplete();
        }
    }
}
