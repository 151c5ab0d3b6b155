namespace AuditWatch.Ingestion.Sources.Files;

/// <summary>Bytes read so far out of the known total, for a progress display on another thread.</summary>
public sealed class ReadProgress
{
    private long _bytesRead;
    private long _totalBytes;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Sum of the sizes of the regular files; 0 when unknown (stdin, pipes).</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    public string? CurrentSource { get; internal set; }

    internal void AddTotal(long bytes) => Interlocked.Add(ref _totalBytes, bytes);

    internal void AddRead(long bytes) => Interlocked.Add(ref _bytesRead, bytes);
}
