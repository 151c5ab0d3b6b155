using System.Collections.Concurrent;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Queue;

/// <summary>What the sources received, decoded and rejected, by source kind; read by the metrics on scrape.</summary>
public sealed class IngestCounters
{
    private readonly ConcurrentDictionary<(string Source, DecodeErrorKind Reason), long> _rejected = new();
    private readonly ConcurrentDictionary<string, long> _decoded = new();
    private readonly ConcurrentDictionary<string, long> _refusedBatches = new();
    private long _replayed;
    private long _positionWriteFailures;

    /// <summary>Saves of file read positions that failed (disk full, read-only).</summary>
    public long PositionWriteFailures => Interlocked.Read(ref _positionWriteFailures);

    public void RecordPositionWriteFailure() => Interlocked.Increment(ref _positionWriteFailures);

    /// <summary>
    /// Events read again to rebuild windows after a Kafka partition assignment: they go through detection (muted) but
    /// were counted as decoded by the partition's previous owner, so they are counted here instead.
    /// </summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    public void RecordReplayed(long count) => Interlocked.Add(ref _replayed, count);

    public IReadOnlyDictionary<(string Source, DecodeErrorKind Reason), long> Rejected => _rejected;

    public IReadOnlyDictionary<string, long> Decoded => _decoded;

    /// <summary>Batches refused because the queue was full (answered 429, or read again later).</summary>
    public IReadOnlyDictionary<string, long> RefusedBatches => _refusedBatches;

    public void RecordDecoded(string source, long count) => _decoded.AddOrUpdate(source, count, (_, n) => n + count);

    public void RecordRejected(string source, DecodeErrorKind reason) => _rejected.AddOrUpdate((source, reason), 1, (_, n) => n + 1);

    public void RecordRefused(string source) => _refusedBatches.AddOrUpdate(source, 1, (_, n) => n + 1);
}
