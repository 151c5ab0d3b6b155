using AuditWatch.Core.Events;
using Confluent.Kafka;

namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>
/// Consecutive messages of one partition gathered into one batch for detection: one queue hand-off and one offset store
/// for the run instead of one per message. At least once still holds because a lane takes its partition's batches in
/// order, so storing the run's highest offset once detection took the run passes no message detection has not taken.
/// </summary>
internal sealed class PartitionRun(TopicPartition partition, string lane)
{
    /// <summary>A run is handed over at this many events even while more messages of its partition are waiting.</summary>
    public const int MaxEvents = 512;

    public TopicPartition Partition { get; } = partition;

    public string Lane { get; } = lane;

    public List<AuditEvent> Events { get; } = [];

    /// <summary>Events of messages the previous owner of the partition processed (read again to rebuild windows).</summary>
    public int ReplayedEvents { get; private set; }

    /// <summary>The offset to store once detection took the run: past the last message not replayed, if any.</summary>
    public Offset? OffsetToStore { get; private set; }

    public bool IsFull => Events.Count >= MaxEvents;

    public void Add(AuditEvent auditEvent, bool replayed)
    {
        if (replayed)
        {
            Events.Add(auditEvent with { Replayed = true });
            ReplayedEvents++;
        }
        else
        {
            Events.Add(auditEvent);
        }
    }

    /// <summary>A message read for the first time is in the run (one without events, dead-lettered, too).</summary>
    public void Include(Offset offset) => OffsetToStore = offset + 1;
}
