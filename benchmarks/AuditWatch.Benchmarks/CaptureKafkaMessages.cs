using System.Text;
using AuditWatch.Ingestion.Decoding;
using Confluent.Kafka;

namespace AuditWatch.Benchmarks;

/// <summary>
/// The PerfSPEC capture as Kafka messages the way they reach AuditWatch in production: one audit event per message,
/// keyed by its username (what the forwarder produces, and what log shippers send line by line).
/// </summary>
internal static class CaptureKafkaMessages
{
    public const int EventsInCapture = 16_563;

    public static string CapturePath => BenchmarkData.Path("perfspec_helm_audit.jsonl");

    public static List<Message<byte[], byte[]>> Load()
    {
        var decoder = new AuditStreamDecoder();
        var messages = new List<Message<byte[], byte[]>>(EventsInCapture);
        foreach (var line in File.ReadLines(CapturePath).Where(l => l.Length > 0))
        {
            var value = Encoding.UTF8.GetBytes(line);
            var decoded = decoder.Decode(value, "capture");
            var user = decoded is [{ Event: { } auditEvent }] ? auditEvent.User.Username : throw new InvalidDataException($"not one audit event: {line[..Math.Min(line.Length, 120)]}");
            messages.Add(new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(user), Value = value });
        }

        // Benchmarks divide by a constant number of messages; a changed fixture must not silently skew them.
        if (messages.Count != EventsInCapture)
        {
            throw new InvalidDataException($"{CapturePath} holds {messages.Count} events, the benchmarks expect {EventsInCapture}");
        }

        return messages;
    }
}
