using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>
/// Reads audit events from a Kafka topic in a consumer group. Consecutive messages of a partition that librdkafka
/// already holds are gathered into one run (<see cref="PartitionRun"/>), which <see cref="PartitionRunDecoder"/>
/// decodes on a thread of its own and hands to detection as one batch. At least once: a message's offset is stored
/// only after detection has evaluated its events (the watermark passed them, so any alert they caused was queued),
/// then committed by librdkafka periodically, on revocation and at shutdown; so whoever reads the partition next
/// (after a crash, a rebalance or a restart) reads again, live, every message whose events were still waiting. A
/// message with no audit event in it goes to the dead-letter topic with the error.
/// </summary>
public sealed partial class KafkaAuditSource(
    KafkaOptions options,
    AuditStreamDecoder decoder,
    IngestQueue queue,
    IngestCounters ingest,
    KafkaCounters counters,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    public const string SourceName = "kafka";
    private static readonly TimeSpan LagEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(200);
    private readonly HashSet<TopicPartition> _newlyAssigned = [];
    private readonly Dictionary<TopicPartition, long> _replayUntil = [];
    private PartitionRun? _run;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private DeadLetterTopic? _deadLetters;
    private PartitionRunDecoder? _runDecoder;

    /// <summary>Runs handed to decoding that detection has not taken in yet.</summary>
    public long InFlight => _runDecoder?.InFlight ?? 0;

    /// <summary>Consumes until cancelled (on a thread of its own: librdkafka's consume call blocks).</summary>
    public void Run(CancellationToken cancellationToken)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfig.Consumer(options))
            .SetErrorHandler((_, error) =>
            {
                counters.Error();
                LogError(logger, error.Code, error.Reason);
            })
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                counters.Assigned(partitions.Count);
                _newlyAssigned.UnionWith(partitions);
                LogAssigned(logger, string.Join(",", partitions.Select(p => p.Partition.Value)));
            })
            .SetPartitionsRevokedHandler((consumer, partitions) =>
            {
                counters.Revoked(partitions.Count);
                CommitStored(consumer);
                if (_run is not null && partitions.Any(p => p.TopicPartition.Equals(_run.Partition)))
                {
                    // Gathered but not handed over: nothing of it was stored, so the next owner reads it.
                    _run = null;
                }

                foreach (var partition in partitions)
                {
                    _newlyAssigned.Remove(partition.TopicPartition);
                    _replayUntil.Remove(partition.TopicPartition);
                    _runDecoder?.Post(PartitionRun.EndOfLane(partition.TopicPartition, LaneOf(partition.TopicPartition)));
                }

                LogRevoked(logger, string.Join(",", partitions.Select(p => p.Partition.Value)));
            })
            .Build();
        _deadLetters = new DeadLetterTopic(options, counters, logger);
        _runDecoder = new PartitionRunDecoder(decoder, queue, ingest, _deadLetters, StoreOffset, logger, cancellationToken);
        _runDecoder.Start();
        _consumer.Subscribe(options.Topic);
        var nextLag = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                // While a run is gathered, only what librdkafka already holds is added to it.
                result = _consumer.Consume(_run is null ? IdleWait : TimeSpan.Zero);
            }
            catch (ConsumeException ex)
            {
                counters.Error();
                LogError(logger, ex.Error.Code, ex.Error.Reason);
                continue;
            }

            if (time.GetUtcNow() >= nextLag)
            {
                nextLag = time.GetUtcNow() + LagEvery;
                counters.SetLag(MeasureLag(_consumer));
            }

            if (result is null || result.IsPartitionEOF)
            {
                HandOver();
                continue;
            }

            counters.Message();
            Handle(result);
        }

        HandOver();
    }

    /// <summary>At shutdown, once detection has drained: commit what was stored and leave the group.</summary>
    public void Close()
    {
        if (_consumer is null)
        {
            return;
        }

        CommitStored(_consumer);
        _consumer.Close();
        _runDecoder?.Dispose();
        _runDecoder = null;
        _deadLetters?.Flush();
    }

    public void Dispose()
    {
        _runDecoder?.Dispose();
        _consumer?.Dispose();
        _deadLetters?.Dispose();
    }

    private static string LaneOf(TopicPartition partition) => $"kafka:{partition.Topic}/{partition.Partition.Value}";

    /// <summary>
    /// The first message of a partition that was processed by someone before (offset above 0): seek back by the rewind
    /// duration (offsets for times), at most <see cref="KafkaOptions.RewindMaxMessages"/> messages, and replay up to
    /// here. Brokers that cannot look offsets up by time (before 0.10) get the message-count bound alone. True when it
    /// sought (the message will come again).
    /// </summary>
    private bool RewindIfNewlyAssigned(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> result)
    {
        if (!_newlyAssigned.Remove(result.TopicPartition) || result.Offset.Value == 0 || options.Rewind <= TimeSpan.Zero)
        {
            return false;
        }

        var bound = Math.Max(0, result.Offset.Value - options.RewindMaxMessages);
        long target;
        try
        {
            bound = Math.Max(bound, consumer.QueryWatermarkOffsets(result.TopicPartition, TimeSpan.FromSeconds(10)).Low.Value);
            var from = result.Message.Timestamp.UtcDateTime - options.Rewind;
            var byTime = consumer.OffsetsForTimes([new TopicPartitionTimestamp(result.TopicPartition, new Timestamp(from))], TimeSpan.FromSeconds(10)).Single().Offset.Value;
            target = byTime >= 0 ? Math.Max(byTime, bound) : bound;
        }
        catch (KafkaException ex)
        {
            LogRewindByCount(logger, result.TopicPartition.ToString(), ex.Error.Reason);
            target = bound;
        }

        if (target >= result.Offset.Value)
        {
            return false;
        }

        _replayUntil[result.TopicPartition] = result.Offset.Value;
        consumer.Seek(new TopicPartitionOffset(result.TopicPartition, target));
        LogRewind(logger, result.TopicPartition.ToString(), result.Offset.Value - target);
        return true;
    }

    private void Handle(ConsumeResult<byte[]?, byte[]?> result)
    {
        if (_run is not null && (_run.IsFull || !_run.Partition.Equals(result.TopicPartition)))
        {
            HandOver();
        }

        if (RewindIfNewlyAssigned(_consumer!, result))
        {
            return;
        }

        var replayed = _replayUntil.TryGetValue(result.TopicPartition, out var until) && result.Offset.Value < until;
        if (!replayed)
        {
            _replayUntil.Remove(result.TopicPartition);
        }

        (_run ??= new PartitionRun(result.TopicPartition, LaneOf(result.TopicPartition))).Add(result, replayed);
    }

    /// <summary>Passes the gathered run on to be decoded and handed to detection.</summary>
    private void HandOver()
    {
        if (_run is { } run)
        {
            _run = null;
            _runDecoder!.Post(run);
        }
    }

    private void StoreOffset(TopicPartitionOffset position)
    {
        try
        {
            _consumer?.StoreOffset(position);
        }
        catch (KafkaException ex)
        {
            // The partition was revoked meanwhile: its new owner reads the message again (at least once).
            LogStoreFailed(logger, position.ToString(), ex.Error.Reason);
        }
        catch (ObjectDisposedException)
        {
            // Stopping: the consumer was closed before detection let go of the partition's lane; read again next time.
            LogStoreFailed(logger, position.ToString(), "the consumer is closed");
        }
    }

    private void CommitStored(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_NoOffset or ErrorCode.Local_State)
        {
        }
        catch (KafkaException ex)
        {
            counters.Error();
            LogError(logger, ex.Error.Code, ex.Error.Reason);
        }
    }

    private static long MeasureLag(IConsumer<byte[]?, byte[]?> consumer)
    {
        long lag = 0;
        foreach (var partition in consumer.Assignment)
        {
            var watermarks = consumer.GetWatermarkOffsets(partition);
            var position = consumer.Position(partition);
            if (watermarks.High.Value >= 0 && position.Value >= 0)
            {
                lag += Math.Max(0, watermarks.High.Value - position.Value);
            }
        }

        return lag;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "kafka error {Code}: {Reason}")]
    private static partial void LogError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "kafka partitions assigned: {Partitions}")]
    private static partial void LogAssigned(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "kafka partitions revoked: {Partitions}")]
    private static partial void LogRevoked(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Partition}: replaying {Count} earlier messages to rebuild windows")]
    private static partial void LogRewind(ILogger logger, string partition, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Partition}: cannot look up offsets by time ({Reason}); rewinding by message count")]
    private static partial void LogRewindByCount(ILogger logger, string partition, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "offset {Position} not stored: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string position, string reason);
}
