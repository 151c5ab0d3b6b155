using System.Text;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

internal static class Decode
{
    public static IReadOnlyList<DecodeResult> Text(string text, DecoderOptions? options = null) =>
        Bytes(Encoding.UTF8.GetBytes(text), options);

    /// <summary>Through the streaming path, in small chunks so items straddle reads.</summary>
    public static IReadOnlyList<DecodeResult> Bytes(byte[] bytes, DecoderOptions? options = null)
    {
        var decoder = new AuditStreamDecoder(options ?? new DecoderOptions { ReadBufferBytes = 7 });
        return decoder.DecodeAsync(new MemoryStream(bytes), "input.jsonl").ToBlockingEnumerable().ToList();
    }

    public static IReadOnlyList<string> AuditIds(this IReadOnlyList<DecodeResult> results) =>
        [.. results.Where(r => r.Event is not null).Select(r => r.Event!.Value.AuditId.ToString())];

    public static IReadOnlyList<DecodeError> Errors(this IReadOnlyList<DecodeResult> results) =>
        [.. results.Where(r => r.Error is not null).Select(r => r.Error!)];
}
