using System.Threading.Channels;

namespace AuditWatch.Ingestion.Queue;

/// <summary>
/// The bounded hand-off between sources and detection, sized in events. A batch is taken whole or refused whole, so a
/// source can answer "try again" (HTTP 429) without having half of a batch in flight; what was taken is never dropped.
/// Sources that can wait instead (files, Kafka) are woken as soon as detection makes room, not on a timer.
/// </summary>
public sealed class IngestQueue
{
    private readonly Channel<EventBatch> _channel = Channel.CreateUnbounded<EventBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly long _capacity;
    private long _pending;
    private bool _completed;

    // Completed when detection takes a batch (or the queue closes) while a source waits for room; then replaced.
    private TaskCompletionSource? _room;

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
            return TryEnqueueLocked(batch);
        }
    }

    /// <summary>Accepts every batch, in order, or none when they do not fit together or the queue is closed.</summary>
    public bool TryEnqueueAll(IReadOnlyList<EventBatch> batches)
    {
        lock (_gate)
        {
            return TryEnqueueLocked(batches);
        }
    }

    /// <summary>
    /// Accepts every batch, in order, once detection has made room for all of them; false when the queue is closed
    /// first. Throws <see cref="OperationCanceledException"/> when cancelled while waiting (then none was taken).
    /// </summary>
    public async Task<bool> EnqueueWhenRoomAsync(IReadOnlyList<EventBatch> batches, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_gate)
            {
                if (TryEnqueueLocked(batches))
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }

                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

                // MarkTaken lowers the depth and then looks for a waiter, without the lock. Publishing the waiter
                // before looking at the depth again means one of the two sees the other: no wake-up is lost.
                Interlocked.MemoryBarrier();
                if (TryEnqueueLocked(batches))
                {
                    return true;
                }
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a batch of that many events would be refused now (advisory: the queue may change meanwhile).</summary>
    public bool WouldRefuse(long events)
    {
        // An empty queue takes any batch, so one batch larger than the capacity cannot be refused forever; a batch of no
        // events takes no room (it carries a position to save or ends a lane) and is never refused for room either.
        var pending = Interlocked.Read(ref _pending);
        return _completed || (events > 0 && pending > 0 && pending + events > _capacity);
    }

    /// <summary>Called by the reader once detection has taken every event of the batch in, or handed it back unread.</summary>
    public void MarkTaken(EventBatch batch)
    {
        // Every batch taken wakes the waiting sources, whether or not their batches now fit: they look again and wait
        // again. Cheap next to a batch's detection, and it keeps "room" a question only TryEnqueue answers.
        Interlocked.Add(ref _pending, -batch.Events.Count);
        batch.Taken?.Invoke();
        if (Volatile.Read(ref _room) is not null)
        {
            WakeWaiters();
        }
    }

    /// <summary>No more batches: the reader drains what was accepted and then ends.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            _channel.Writer.TryComplete();
        }

        WakeWaiters();
    }

    private bool TryEnqueueLocked(EventBatch batch)
    {
        if (WouldRefuse(batch.Events.Count))
        {
            return false;
        }

        // Atomic even under the lock: the reader takes batches off without it.
        Interlocked.Add(ref _pending, batch.Events.Count);
        return _channel.Writer.TryWrite(batch);
    }

    private bool TryEnqueueLocked(IReadOnlyList<EventBatch> batches)
    {
        long events = 0;
        for (var i = 0; i < batches.Count; i++)
        {
            events += batches[i].Events.Count;
        }

        if (WouldRefuse(events))
        {
            return false;
        }

        Interlocked.Add(ref _pending, events);
        for (var i = 0; i < batches.Count; i++)
        {
            // Cannot fail: the channel is unbounded and only completed under the lock, which WouldRefuse checked.
            _channel.Writer.TryWrite(batches[i]);
        }

        return true;
    }

    private void WakeWaiters()
    {
        TaskCompletionSource? room;
        lock (_gate)
        {
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }
}
