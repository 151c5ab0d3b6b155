using AuditWatch.Ingestion.Sources.Files;

namespace AuditWatch.Ingestion.Streams;

/// <summary>Passes reads through and reports how many bytes went by (compressed bytes, for gzip files).</summary>
internal sealed class CountingReadStream(Stream inner, ReadProgress progress) : ForwardReadStream
{
    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        progress.AddRead(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        progress.AddRead(n);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
