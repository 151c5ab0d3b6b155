using System.Buffers;
using System.Runtime.CompilerServices;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding.Envelopes;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// Decodes audit events from a stream in any shape the apiserver writes (JSON lines, EventList, single Event,
/// array; plain or gzip), one item at a time: memory stays flat whatever the input size.
/// </summary>
public sealed class AuditStreamDecoder(DecoderOptions options)
{
    public AuditStreamDecoder()
        : this(new DecoderOptions())
    {
    }

    /// <summary>Yields every event and one error per bad item; a bad item never stops the stream.</summary>
    /// <remarks>Only a failure to read the stream itself (I/O, corrupt compression) ends it, as an exception.</remarks>
    public async IAsyncEnumerable<DecodeResult> DecodeAsync(
        Stream input,
        string source,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var results = new ResultCollector(source, []);
        using var framer = new JsonItemFramer(results, options.MaxItemBytes);
        await using var stream = await CompressionSniffer.OpenAsync(input, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(options.ReadBufferBytes);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, options.ReadBufferBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                framer.Feed(buffer.AsSpan(0, read));
                foreach (var result in results.TakeAll())
                {
                    yield return result;
                }
            }

            framer.Complete();
            foreach (var result in results.TakeAll())
            {
                yield return result;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Decodes a whole in-memory body, such as one webhook request or the complete lines read from a file.</summary>
    /// <param name="firstLine">The line number of the body's first byte, for messages about a chunk of a longer file.</param>
    public IReadOnlyList<DecodeResult> Decode(ReadOnlySpan<byte> body, string source, long firstLine = 1)
    {
        var results = new List<DecodeResult>();
        DecodeInto(body, source, results, firstLine);
        return results;
    }

    /// <summary>As <see cref="Decode"/>, appending to a list the caller reuses (a Kafka run decodes many small bodies).</summary>
    public void DecodeInto(ReadOnlySpan<byte> body, string source, List<DecodeResult> results, long firstLine = 1)
    {
        if (WholeBodyDecoder.TryDecode(body, source, firstLine, options.MaxItemBytes, results))
        {
            return;
        }

        using var framer = new JsonItemFramer(new ResultCollector(source, results), options.MaxItemBytes, firstLine);
        framer.Feed(body);
        framer.Complete();
    }

    private sealed class ResultCollector(string source, List<DecodeResult> pending) : IFrameHandler
    {
        private List<DecodeResult> _pending = pending;

        public void OnItem(ReadOnlySpan<byte> item, long line, long index)
        {
            var position = new SourcePosition(source, line, index);
            if (!EnvelopeReader.TryUnwrap(item, position, _pending))
            {
                _pending.Add(AuditEventParser.Parse(item, position));
            }
        }

        public void OnError(long line, long index, DecodeErrorKind kind, string reason) =>
            _pending.Add(DecodeResult.Of(new DecodeError(new SourcePosition(source, line, index), kind, reason)));

        public List<DecodeResult> TakeAll()
        {
            var taken = _pending;
            _pending = [];
            return taken;
        }
    }
}
