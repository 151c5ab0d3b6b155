using AuditWatch.Ingestion.Queue;

namespace AuditWatch.Hosting;

/// <summary>
/// A lane's batches whose events went into detection but may still wait for the watermark, in the order they went in.
/// A batch's safe points and then its <see cref="EventBatch.Processed"/> run once the watermark has passed the newest
/// request time before each: only then have the rules seen those events. Taking a batch is not enough: a request waits
/// up to the allowed lateness, and a source that stored its offset at once would have it skipped by the next reader
/// after a crash or a rebalance (the new owner replays it muted, as one the previous owner had judged).
/// </summary>
/// <remarks>Thread-safe: batches are added by the lane's reader, the watermark comes from whichever thread released requests.</remarks>
internal sealed class BatchesAwaitingWatermark
{
    /// <summary>
    /// Safe points of one batch closer than this in event time are kept as one, the later: a Kafka run has one per
    /// message, and at the allowed lateness of a busy partition that would be millions waiting.
    /// </summary>
    public static readonly TimeSpan SafePointSpacing = TimeSpan.FromMilliseconds(100);

    private readonly Queue<Awaited> _awaited = new();
    private readonly Lock _lock = new();
    private long _watermarkTicks = DateTimeOffset.MinValue.UtcTicks;
    private bool _handedBack;

    /// <summary>The last watermark passed, in UTC ticks; safe to read from any thread.</summary>
    public long WatermarkTicks => Volatile.Read(ref _watermarkTicks);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _awaited.Count;
            }
        }
    }

    /// <summary>
    /// A batch all of whose events went into detection.
    /// </summary>
    /// <param name="reached">
    /// Its safe points, in order, each with the newest request time (UTC ticks) of the events its source had fed the lane
    /// before it (stages that never become requests left out).
    /// </param>
    /// <param name="newestTicks">The same once the whole batch was in.</param>
    public void Add(EventBatch batch, IReadOnlyList<(long NewestTicks, long Position)> reached, long newestTicks)
    {
        lock (_lock)
        {
            if (_handedBack)
            {
                return;
            }

            Awaited? open = null;
            long groupStart = 0;
            foreach (var (ticks, position) in reached)
            {
                if (open is { } point && ticks - groupStart > SafePointSpacing.Ticks)
                {
                    _awaited.Enqueue(point);
                    open = null;
                }

                if (open is null)
                {
                    groupStart = ticks;
                }

                open = new Awaited(ticks, Processed: null, batch.SafePointReached, position);
            }

            if (open is { } last)
            {
                _awaited.Enqueue(last);
            }

            _awaited.Enqueue(new Awaited(newestTicks, batch.Processed, Reached: null, Position: 0));
            ReachUpTo(_watermarkTicks);
        }
    }

    /// <summary>The watermark after a release: every event fed with a request time at or before it is evaluated.</summary>
    public void Passed(DateTimeOffset watermark)
    {
        lock (_lock)
        {
            if (watermark.UtcTicks <= _watermarkTicks)
            {
                return;
            }

            Volatile.Write(ref _watermarkTicks, watermark.UtcTicks);
            if (!_handedBack)
            {
                ReachUpTo(_watermarkTicks);
            }
        }
    }

    /// <summary>
    /// The lane is dropped: nothing more is reached (what still waits is abandoned, not evaluated), so no source stores
    /// a position past it and the partition's next reader reads it again. Safe points already reached stay stored.
    /// </summary>
    public void HandBack()
    {
        lock (_lock)
        {
            _handedBack = true;
            _awaited.Clear();
        }
    }

    // Under the lock, so that points are reached in the order they were added whichever thread got there first.
    private void ReachUpTo(long watermarkTicks)
    {
        while (_awaited.TryPeek(out var awaited) && awaited.NewestTicks <= watermarkTicks)
        {
            _awaited.Dequeue();
            awaited.Processed?.Invoke();
            awaited.Reached?.Invoke(awaited.Position);
        }
    }

    // The batch's callbacks, not the batch: its events would otherwise stay on the heap for the allowed lateness.
    private readonly record struct Awaited(long NewestTicks, Action? Processed, Action<long>? Reached, long Position);
}
