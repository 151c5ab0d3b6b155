using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.Benchmarks;

/// <summary>
/// AuditWatch's Kafka source driven as <c>KafkaSourceWorker</c> drives it: <see cref="KafkaAuditSource.Run"/> on a
/// thread of its own, gathering runs of messages that the source's decoder thread decodes into batches on the ingest
/// queue (production capacity). A reader stands in for detection: it marks each batch taken and runs its
/// <see cref="EventBatch.Processed"/> at once, as a lane does once the watermark has passed the batch, which stores the
/// run's offset (a lane also stores an offset at safe points inside a run, at most one per 100 ms of event time: not
/// here). Detection itself is not measured here.
/// </summary>
internal sealed class KafkaSourceRound : IDisposable
{
    private const long QueueCapacityEvents = 200_000;
    private readonly IngestQueue _queue = new(QueueCapacityEvents);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ManualResetEventSlim _firstBatch = new();
    private readonly ManualResetEventSlim _allEvents = new();
    private readonly KafkaAuditSource _source;
    private readonly Thread _thread;
    private readonly Task _detection;
    private readonly long _expectedEvents;
    private readonly TimeSpan _limit;
    private long _events;

    private KafkaSourceRound(KafkaOptions options, AuditStreamDecoder decoder, long expectedEvents, TimeSpan limit)
    {
        _expectedEvents = expectedEvents;
        _limit = limit;
        _source = new KafkaAuditSource(options, decoder, _queue, new IngestCounters(), new KafkaCounters(), TimeProvider.System, NullLogger.Instance);
        _thread = new Thread(() => _source.Run(_stopping.Token)) { IsBackground = true, Name = "kafka-consumer" };
        _detection = Task.Run(TakeBatchesAsync);
    }

    public static KafkaSourceRound Start(KafkaOptions options, AuditStreamDecoder decoder, long expectedEvents, TimeSpan limit)
    {
        var round = new KafkaSourceRound(options, decoder, expectedEvents, limit);
        round._thread.Start();
        return round;
    }

    /// <summary>Returns once the group was joined and the first batch reached the queue's reader.</summary>
    public void WaitForFirstBatch()
    {
        if (!_firstBatch.Wait(_limit))
        {
            throw new TimeoutException($"the Kafka source queued nothing within {_limit}");
        }
    }

    /// <summary>Returns the number of events once every expected event was taken from the queue.</summary>
    public long WaitUntilDone() =>
        _allEvents.Wait(_limit) ? Interlocked.Read(ref _events) : throw new TimeoutException($"the Kafka source queued {Interlocked.Read(ref _events)} of {_expectedEvents} events within {_limit}");

    /// <summary>The worker's shutdown: stop consuming, let the taken batches store their offsets, commit, leave.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _thread.Join();
        _queue.Complete();
        _detection.GetAwaiter().GetResult();
        _source.Close();
        _source.Dispose();
        _stopping.Dispose();
        _firstBatch.Dispose();
        _allEvents.Dispose();
    }

    private async Task TakeBatchesAsync()
    {
        await foreach (var batch in _queue.Reader.ReadAllAsync())
        {
            _queue.MarkTaken(batch);
            batch.Processed?.Invoke();
            if (batch.DropLane)
            {
                continue;
            }

            if (!_firstBatch.IsSet)
            {
                _firstBatch.Set();
            }

            if (Interlocked.Add(ref _events, batch.Events.Count) >= _expectedEvents)
            {
                _allEvents.Set();
            }
        }
    }
}
