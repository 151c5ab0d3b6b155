using System.IO.Compression;
using AuditWatch.Ingestion.Streams;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>Opens gzip input by its magic bytes rather than its name, so stdin and misnamed files work too.</summary>
internal static class CompressionSniffer
{
    public static async Task<Stream> OpenAsync(Stream input, CancellationToken cancellationToken)
    {
        var head = new byte[2];
        var read = 0;
        while (read < head.Length)
        {
            var n = await input.ReadAsync(head.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        Stream stream = new PrefixedStream(head[..read], input);
        return read == 2 && head[0] == 0x1f && head[1] == 0x8b
            ? new GZipStream(stream, CompressionMode.Decompress)
            : stream;
    }
}
