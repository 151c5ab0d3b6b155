using System.Buffers;
using System.IO.Compression;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Sources.Webhook;

namespace AuditWatch.Fuzzing.Targets;

/// <summary>
/// What the webhook does with a request body: read it with the size limit (gunzipping when Content-Encoding is gzip),
/// then decode it. The first byte picks the encoding: '0' identity, '1' the target gzips the rest (so that the limit
/// is checked after decompression), '2' the rest is sent as gzip as it is (corrupt compression).
/// </summary>
public sealed class WebhookBodyTarget : IFuzzTarget
{
    public const int Limit = 64 * 1024;

    private readonly AuditStreamDecoder _decoder = new(DecoderTarget.Options);

    public string Name => "webhook-body";

    public InputDialect Dialect => InputDialect.Json;

    public long AllocationBudget(byte[] input) => AllocationBudgets.Json(input);

    public void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var mode = input[0] % 3;
        var rest = input.AsSpan(1);
        var sent = mode == 1 ? Gzip(rest) : rest.ToArray();
        using var request = new ChunkedStream(sent, input.Length);
        var body = WebhookBodyReader.ReadAsync(request, gzip: mode != 0, contentLength: null, Limit, CancellationToken.None).GetAwaiter().GetResult();
        if (body.Outcome is not null)
        {
            return;
        }

        try
        {
            if (body.Length > Limit)
            {
                throw new FuzzInvariantException($"a body of {body.Length} bytes was accepted over the limit of {Limit}");
            }

            _decoder.Decode(body.Buffer.AsSpan(0, body.Length), "webhook");
        }
        finally
        {
            if (body.Buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(body.Buffer, clearArray: true);
            }
        }
    }

    private static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return compressed.ToArray();
    }
}
