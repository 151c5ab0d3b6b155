using System.Collections.Concurrent;
using System.Globalization;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>
/// Decodes the runs the consumer gathered and hands them to detection, on a thread of its own: consuming the next
/// messages and decoding these overlap instead of taking turns on the consumer thread (each costs about as much as the
/// other). Runs are decoded and handed over in the order they were posted, so each lane still gets its partition's
/// batches in offset order, and a revoked partition's end of lane comes after every run of it posted before.
/// </summary>
/// <param name="storeOffset">Stores an offset once detection has evaluated every event before it.</param>
/// <param name="stopping">Once cancelled, a run the full queue does not take at once is dropped unstored.</param>
internal sealed partial class PartitionRunDecoder(
    AuditStreamDecoder decoder,
    IngestQueue queue,
    IngestCounters ingest,
    DeadLetterTopic deadLetters,
    Action<TopicPartitionOffset> storeOffset,
    ILogger logger,
    CancellationToken stopping) : IDisposable
{
    /// <summary>Runs posted and not yet decoded; the consumer waits beyond that (backpressure).</summary>
    private const int PendingRuns = 4;
    private readonly BlockingCollection<PartitionRun> _runs = new(PendingRuns);
    private readonly List<DecodeResult> _decoded = [];
    private Thread? _thread;
    private long _inFlight;

    /// <summary>Runs posted that detection has not taken in yet (decoding, queued, or being fed to their lane).</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public void Start()
    {
        _thread = new Thread(DecodeRuns) { IsBackground = true, Name = "kafka-decoder" };
        _thread.Start();
    }

    /// <summary>
    /// Takes the run, waiting while <see cref="PendingRuns"/> are ahead of it. Once stopping it does not wait: a run
    /// not taken then is dropped, and its messages are read again after a restart since nothing of it was stored.
    /// </summary>
    public void Post(PartitionRun run)
    {
        Interlocked.Increment(ref _inFlight);
        bool posted;
        try
        {
            posted = stopping.IsCancellationRequested ? _runs.TryAdd(run) : _runs.TryAdd(run, Timeout.Infinite, stopping);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Stopped while waiting, or after the decoder was closed.
            posted = false;
        }

        if (!posted)
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Decodes and hands over what was posted, then stops the thread.</summary>
    public void Dispose()
    {
        _runs.CompleteAdding();
        _thread?.Join();
        _runs.Dispose();
    }

    private void DecodeRuns()
    {
        foreach (var run in _runs.GetConsumingEnumerable())
        {
            if (run.EndsLane)
            {
                // The partition's windows belong to its next owner now: dropped here without resolving anything.
                queue.TryEnqueue(new EventBatch([], KafkaAuditSource.SourceName, Lane: run.Lane, DropLane: true));
                Interlocked.Decrement(ref _inFlight);
                continue;
            }

            var (events, safePoints, replayed) = Decode(run);
            HandOver(run, events, safePoints, replayed);
        }
    }

    /// <returns>The run's events, a safe point after each message not replayed, and how many events were replayed.</returns>
    private (List<AuditEvent> Events, List<SafePoint> SafePoints, int Replayed) Decode(PartitionRun run)
    {
        var events = new List<AuditEvent>(run.Messages.Count);
        var safePoints = new List<SafePoint>(run.Messages.Count);
        var replayedEvents = 0;
        foreach (var (message, replayed) in run.Messages)
        {
            var found = 0;
            List<DecodeError>? errors = null;
            _decoded.Clear();
            decoder.DecodeInto(message.Message.Value ?? [], run.Lane, _decoded);
            foreach (var decoded in _decoded)
            {
                if (decoded.Event is { } auditEvent)
                {
                    events.Add(replayed ? auditEvent with { Replayed = true } : auditEvent);
                    found++;
                    continue;
                }

                (errors ??= []).Add(AtOffset(decoded.Error!, message.Offset.Value));
            }

            if (replayed)
            {
                // Counted, logged and dead-lettered by the previous owner.
                replayedEvents += found;
                continue;
            }

            if (errors is not null)
            {
                Reject(errors, logged: found > 0 ? 5 : 0);
            }

            if (found == 0)
            {
                // Its offset is stored through the run like any other: stored at once, it would let a commit pass the
                // messages before it that detection has not taken yet, and a crash would lose them.
                deadLetters.Send(message, errors?[0].ToString() ?? "the message holds no audit event");
            }

            // Detection tells the offset past this message once its events are evaluated, before the rest of the run.
            safePoints.Add(new SafePoint(events.Count, message.Offset.Value + 1));
        }

        return (events, safePoints, replayedEvents);
    }

    /// <summary>Names the message's offset in an error's position (only errors pay for the text; events need none).</summary>
    private static DecodeError AtOffset(DecodeError error, long offset) =>
        error with { Position = error.Position with { Source = string.Create(CultureInfo.InvariantCulture, $"{error.Position.Source}@{offset}") } };

    private void Reject(List<DecodeError> errors, int logged)
    {
        foreach (var error in errors)
        {
            ingest.RecordRejected(KafkaAuditSource.SourceName, error.Kind);
        }

        foreach (var error in errors.Take(logged))
        {
            LogRejected(logger, error.ToString());
        }
    }

    /// <summary>Hands the decoded run to detection, waiting while the queue is full (backpressure).</summary>
    private void HandOver(PartitionRun run, List<AuditEvent> events, List<SafePoint> safePoints, int replayedEvents)
    {
        if (events.Count == 0 && run.OffsetToStore is null)
        {
            Interlocked.Decrement(ref _inFlight);
            return;
        }

        var batch = BatchOf(run, events, safePoints);
        var enqueued = queue.TryEnqueue(batch);
        if (!enqueued)
        {
            ingest.RecordRefused(KafkaAuditSource.SourceName);
            enqueued = WaitForRoom(batch);
        }

        if (!enqueued)
        {
            // Stopping while the queue was full: the run was never taken and its offset never stored (read again).
            Interlocked.Decrement(ref _inFlight);
            return;
        }

        ingest.RecordReplayed(replayedEvents);
        ingest.RecordDecoded(KafkaAuditSource.SourceName, events.Count - replayedEvents);
    }

    /// <summary>Blocks this thread (its own, so no pool thread waits) until detection makes room or stopping.</summary>
    private bool WaitForRoom(EventBatch batch)
    {
        try
        {
            return queue.EnqueueWhenRoomAsync([batch], stopping).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private EventBatch BatchOf(PartitionRun run, List<AuditEvent> events, List<SafePoint> safePoints)
    {
        // The callbacks wait for the watermark (up to the allowed lateness): they hold the partition, not the run and
        // its messages.
        var partition = run.Partition;
        var position = run.OffsetToStore is { } offset ? new TopicPartitionOffset(partition, offset) : null;
        return new EventBatch(
            events,
            KafkaAuditSource.SourceName,
            () =>
            {
                // Replayed messages were committed by the previous owner already.
                if (position is not null)
                {
                    storeOffset(position);
                }
            },
            run.Lane)
        {
            // Fed to its lane or handed back unread. A run whose lane is dropped before the watermark passed it is never
            // processed: its offset stays where it was, so the next owner reads it again.
            Taken = () => Interlocked.Decrement(ref _inFlight),
            SafePoints = safePoints,
            SafePointReached = offset => storeOffset(new TopicPartitionOffset(partition, offset)),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "skipped {Error}")]
    private static partial void LogRejected(ILogger logger, string error);
}
