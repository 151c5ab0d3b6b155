using System.Text;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.Ingestion.Tests.Kafka;

/// <summary>
/// A run of a partition's messages becomes one batch with a safe point after each message not replayed, so that
/// detection can store offsets message by message as the watermark passes them, not only once the whole run is safe.
/// </summary>
public sealed class PartitionRunDecoderTests : IDisposable
{
    private static readonly TopicPartition Partition = new("k8s-audit", 3);
    private readonly IngestQueue _queue = new(10_000);
    private readonly List<long> _stored = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly PartitionRunDecoder _decoder;

    public PartitionRunDecoderTests()
    {
        var options = new KafkaOptions { BootstrapServers = "127.0.0.1:1" };
        _decoder = new PartitionRunDecoder(
            new AuditStreamDecoder(),
            _queue,
            new IngestCounters(),
            new DeadLetterTopic(options, new KafkaCounters(), NullLogger.Instance),
            position =>
            {
                Assert.Equal(Partition, position.TopicPartition);
                _stored.Add(position.Offset.Value);
            },
            NullLogger.Instance,
            _stopping.Token);
        _decoder.Start();
    }

    public void Dispose()
    {
        _decoder.Dispose();
        _stopping.Dispose();
    }

    private static string Event(int i) =>
        $$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"id-{{i}}","stage":"ResponseComplete","requestURI":"/api","verb":"get","user":{"username":"u"},"requestReceivedTimestamp":"2026-11-02T10:00:{{i:00}}.000000Z","stageTimestamp":"2026-11-02T10:00:{{i:00}}.000000Z"}""";

    private static ConsumeResult<byte[]?, byte[]?> Message(long offset, string value) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Partition, offset),
        Message = new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes(value) },
    };

    [Fact]
    public async Task Each_message_not_replayed_gets_a_safe_point_past_it_and_the_run_stores_its_last_offset_when_processed()
    {
        var run = new PartitionRun(Partition, "kafka:k8s-audit/3");
        run.Add(Message(40, Event(1)), replayed: true);
        run.Add(Message(41, Event(2) + "\n" + Event(3)), replayed: false);
        run.Add(Message(42, "not an audit event"), replayed: false);
        run.Add(Message(43, Event(4)), replayed: false);

        _decoder.Post(run);
        var batch = await _queue.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(4, batch.Events.Count);
        Assert.Equal([new SafePoint(3, 42), new SafePoint(3, 43), new SafePoint(4, 44)], batch.SafePoints);
        Assert.Equal(1, _decoder.InFlight);

        batch.SafePointReached!(42);
        Assert.Equal([42], _stored);
        _queue.MarkTaken(batch);
        Assert.Equal(0, _decoder.InFlight);
        Assert.Equal([42], _stored);
        batch.Processed!();
        Assert.Equal([42, 44], _stored);
    }
}
