namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>Kafka consumption and production, for the metrics.</summary>
public sealed class KafkaCounters
{
    private long _messages, _rebalances, _assignedPartitions, _errors, _deadLettered, _lag, _produced, _produceErrors;

    public long Messages => Interlocked.Read(ref _messages);
    public long Rebalances => Interlocked.Read(ref _rebalances);

    /// <summary>Partitions this consumer owns now: zero on a replica the group left without work.</summary>
    public long AssignedPartitions => Interlocked.Read(ref _assignedPartitions);

    public long Errors => Interlocked.Read(ref _errors);
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Messages behind the end of the assigned partitions, as of the last check.</summary>
    public long Lag => Interlocked.Read(ref _lag);

    public long Produced => Interlocked.Read(ref _produced);
    public long ProduceErrors => Interlocked.Read(ref _produceErrors);

    internal void Message() => Interlocked.Increment(ref _messages);
    internal void Assigned(int partitions)
    {
        Interlocked.Increment(ref _rebalances);
        Interlocked.Add(ref _assignedPartitions, partitions);
    }

    internal void Revoked(int partitions)
    {
        Interlocked.Increment(ref _rebalances);
        Interlocked.Add(ref _assignedPartitions, -partitions);
    }

    internal void Error() => Interlocked.Increment(ref _errors);
    internal void DeadLetter() => Interlocked.Increment(ref _deadLettered);
    internal void SetLag(long lag) => Interlocked.Exchange(ref _lag, lag);
    internal void Produce(long count) => Interlocked.Add(ref _produced, count);
    internal void ProduceError() => Interlocked.Increment(ref _produceErrors);
}
