using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Fuzzing.Targets;

/// <summary>
/// The streaming decoder over a stream that delivers the input in random chunks, and the whole-body decoder over the
/// same bytes: neither may throw, and both must give the same results. A small item limit makes TooLarge reachable.
/// </summary>
public sealed class DecoderTarget : IFuzzTarget
{
    public static readonly DecoderOptions Options = new() { MaxItemBytes = 16 * 1024, ReadBufferBytes = 4096 };

    private readonly AuditStreamDecoder _decoder = new(Options);

    public string Name => "decoder";

    public InputDialect Dialect => InputDialect.Json;

    public long AllocationBudget(byte[] input) => AllocationBudgets.Json(input);

    public void Run(byte[] input)
    {
        var gzip = input.Length >= 2 && input[0] == 0x1f && input[1] == 0x8b;
        List<DecodeResult> streamed;
        try
        {
            streamed = Streamed(input);
        }
        catch (InvalidDataException) when (gzip)
        {
            // Documented: corrupt compression ends the stream with this exception.
            return;
        }

        if (!gzip)
        {
            DecodeAgreement.Check(_decoder.Decode(input, "fuzz"), streamed);
        }
    }

    public List<DecodeResult> Streamed(byte[] input)
    {
        using var stream = new ChunkedStream(input, input.Length);
        var results = new List<DecodeResult>();
        var enumerator = _decoder.DecodeAsync(stream, "fuzz").GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                results.Add(enumerator.Current);
            }
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return results;
    }
}
