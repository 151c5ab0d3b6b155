using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AuditWatch.Hosting;

/// <summary>
/// <c>POST /bench/scan</c>, mapped only with <c>Benchmark:ScanEndpoint=true</c>: reads the whole body as the webhook
/// does and walks it with a bare <see cref="Utf8JsonReader"/>, counting tokens, and does nothing else. benchmarks/load
/// sends the same bodies here and to <c>POST /audit</c> in the same process; the ratio of the two rates is what decoding,
/// queueing and answering cost on top of HTTP and reading the bytes.
/// </summary>
public static class ScanBaselineEndpoint
{
    public const string Path = "/bench/scan";

    public static async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 64 * 1024, 1024, 16 * 1024 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var grown = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            var tokens = CountTokens(buffer.AsSpan(0, length));
            context.Response.StatusCode = tokens < 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(tokens < 0 ? "{\"error\":\"not JSON\"}" : $"{{\"tokens\":{tokens.ToString(CultureInfo.InvariantCulture)}}}", context.RequestAborted);
        }
        finally
        {
            // Not cleared, unlike the webhook's buffers: the baseline does only the work no decoder can avoid.
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The number of JSON tokens, or -1 when the bytes are not JSON (JSON lines count as JSON).</summary>
    private static long CountTokens(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowMultipleValues = true });
        long tokens = 0;
        try
        {
            while (reader.Read())
            {
                tokens++;
            }

            return tokens;
        }
        catch (JsonException)
        {
            return -1;
        }
    }
}
