using System.IO.Compression;
using System.Text;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Fuzzing.Targets;

/// <summary>
/// Managed-cluster envelopes (EKS awslogs, CloudWatch logEvents, AKS records, GKE protoPayload) through the decoder.
/// The first byte picks the mode: '0' (any even byte) the rest is the envelope as received; '1' (odd) the rest is a
/// CloudWatch payload that the target gzips and base64-encodes into <c>{"awslogs":{"data":…}}</c>, so that mutations
/// reach what lies inside the compression.
/// </summary>
public sealed class EnvelopesTarget : IFuzzTarget
{
    private readonly AuditStreamDecoder _decoder = new(DecoderTarget.Options);

    public string Name => "envelopes";

    public InputDialect Dialect => InputDialect.Json;

    public long AllocationBudget(byte[] input) => AllocationBudgets.Json(input);

    public void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var body = input.AsSpan(1);
        _decoder.Decode(input[0] % 2 == 0 ? body : Wrap(body), "fuzz");
    }

    private static byte[] Wrap(ReadOnlySpan<byte> payload)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return Encoding.UTF8.GetBytes($"{{\"awslogs\":{{\"data\":\"{Convert.ToBase64String(compressed.GetBuffer(), 0, (int)compressed.Length)}\"}}}}");
    }
}
