using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>
/// Reads a webhook request body into memory, un-gzipping it when asked, and never holds more than the limit: a body
/// (or a gzip bomb) larger than that is refused with 413 after reading one byte past it, corrupt gzip with 400.
/// </summary>
public static class WebhookBodyReader
{
    public static async Task<WebhookBody> ReadAsync(Stream body, bool gzip, long? contentLength, long limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(contentLength ?? 64 * 1024, 1024, Math.Min(limit, 16 * 1024 * 1024)));
        var length = 0;
        try
        {
            await using var stream = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : null;
            var source = stream ?? body;
            while (true)
            {
                if (length >= limit)
                {
                    var probe = new byte[1];
                    if (await source.ReadAsync(probe, cancellationToken) > 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                        return WebhookBody.Failed(StatusCodes.Status413PayloadTooLarge, $"body exceeds {limit} bytes (Webhook:MaxBodyBytes), after decompression");
                    }

                    break;
                }

                if (length == buffer.Length)
                {
                    var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = grown;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length, (int)Math.Min(buffer.Length - length, limit - length)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return new WebhookBody(buffer, length, null);
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            return WebhookBody.Failed(StatusCodes.Status400BadRequest, "Content-Encoding is gzip but the body is not valid gzip");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            return WebhookBody.Failed(StatusCodes.Status413PayloadTooLarge, $"body exceeds {limit} bytes (Webhook:MaxBodyBytes)");
        }
        catch (Exception ex) when (ex is BadHttpRequestException or OperationCanceledException or IOException)
        {
            // A body sent too slowly (408), a client gone: the part read may hold audit data, so it is wiped too.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            throw;
        }
    }
}
