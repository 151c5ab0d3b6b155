namespace AuditWatch.Ingestion.Sources.Files;

/// <summary>An open log file being followed: its inode, the bytes read but not yet a complete line, and the position.</summary>
internal sealed class OpenFile : IDisposable
{
    private readonly FileStream _stream;
    private byte[] _pending = new byte[64 * 1024];
    private int _pendingLength;

    private OpenFile(string path, FileStream stream, FilePosition position)
    {
        Path = path;
        _stream = stream;
        Inode = position.Inode;
        Offset = position.Offset;
        Line = position.Line;
    }

    public string Path { get; }

    public ulong Inode { get; }

    /// <summary>Bytes of complete lines already handed on.</summary>
    public long Offset { get; private set; }

    /// <summary>The line number of the next line to hand on.</summary>
    public long Line { get; private set; }

    public static OpenFile At(string path, FilePosition position)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
        var inode = FileIdentity.Of(stream.SafeFileHandle) ?? position.Inode;

        // Another file at that path, or the same one truncated (copytruncate rotation): start from its beginning.
        var resume = position.Inode == inode && position.Offset <= stream.Length;
        var start = resume ? position : new FilePosition(inode, 0, 1);
        stream.Seek(start.Offset, SeekOrigin.Begin);
        return new OpenFile(path, stream, start);
    }

    public async Task<int> ReadAsync(int maxBytes, CancellationToken cancellationToken)
    {
        if (_pending.Length - _pendingLength < maxBytes)
        {
            Array.Resize(ref _pending, _pendingLength + maxBytes);
        }

        var read = await _stream.ReadAsync(_pending.AsMemory(_pendingLength, maxBytes), cancellationToken).ConfigureAwait(false);
        _pendingLength += read;
        return read;
    }

    /// <summary>The bytes up to and including the last newline read so far (empty while the line is still being written).</summary>
    public ReadOnlyMemory<byte> TakeCompleteLines()
    {
        var last = _pending.AsSpan(0, _pendingLength).LastIndexOf((byte)'\n');
        return last < 0 ? ReadOnlyMemory<byte>.Empty : _pending.AsMemory(0, last + 1);
    }

    /// <summary>Moves past the complete lines just handed on and returns the position to save for them.</summary>
    public FilePosition Advance(ReadOnlyMemory<byte> complete)
    {
        Offset += complete.Length;
        Line += complete.Span.Count((byte)'\n');
        var rest = _pendingLength - complete.Length;
        _pending.AsSpan(complete.Length, rest).CopyTo(_pending);
        _pendingLength = rest;
        return new FilePosition(Inode, Offset, Line);
    }

    public void Dispose() => _stream.Dispose();
}
