using Confluent.Kafka;

namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>
/// Consecutive messages of one partition gathered into one batch for detection: one queue hand-off and one offset store
/// for the run instead of one per message. At least once still holds because a lane takes its partition's batches in
/// order, and an offset is stored only once detection has evaluated every event before it (per message inside the
/// run, through its safe points).
/// </summary>
internal sealed class PartitionRun(TopicPartition partition, string lane)
{
    /// <summary>A run is handed over at this many messages even while more messages of its partition are waiting.</summary>
    public const int MaxMessages = 512;

    public TopicPartition Partition { get; } = partition;

    /// <summary>The detection lane of the partition, also the prefix of its messages' source names.</summary>
    public string Lane { get; } = lane;

    public List<RunMessage> Messages { get; } = [];

    /// <summary>Not messages but the end of the partition's lane here: it was revoked, its windows go.</summary>
    public bool EndsLane { get; private init; }

    /// <summary>The offset to store once detection has evaluated the run: past the last message not replayed, if any.</summary>
    public Offset? OffsetToStore { get; private set; }

    public bool IsFull => Messages.Count >= MaxMessages;

    public static PartitionRun EndOfLane(TopicPartition partition, string lane) => new(partition, lane) { EndsLane = true };

    /// <param name="replayed">Processed by the previous owner of the partition already, read again to rebuild windows.</param>
    public void Add(ConsumeResult<byte[]?, byte[]?> message, bool replayed)
    {
        Messages.Add(new RunMessage(message, replayed));
        if (!replayed)
        {
            OffsetToStore = message.Offset + 1;
        }
    }
}
