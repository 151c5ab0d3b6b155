using Confluent.Kafka;

namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>A consumed message in a <see cref="PartitionRun"/>, and whether it is read again only to rebuild windows.</summary>
internal readonly record struct RunMessage(ConsumeResult<byte[]?, byte[]?> Message, bool Replayed);
