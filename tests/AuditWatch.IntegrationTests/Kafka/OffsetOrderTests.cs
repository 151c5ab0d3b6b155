using System.Text;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Kafka;
using AuditWatch.IntegrationTests.Support;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.IntegrationTests.Kafka;

/// <summary>
/// At least once: an offset is committed only when detection has taken every message before it. A message without
/// audit events (dead-lettered) behind one that detection has not taken yet must not move the commit past that one.
/// </summary>
public sealed class OffsetOrderTests : IDisposable
{
    private const string Topic = "k8s-audit-offsets";
    private readonly MockKafkaCluster _kafka = new();

    public void Dispose() => _kafka.Dispose();

    [Fact]
    public async Task A_dead_lettered_message_does_not_commit_past_one_detection_has_not_taken()
    {
        await _kafka.CreateTopicAsync(Topic);
        var auditEvent = File.ReadLines(Incidents.Fixture("perfspec_helm_audit.jsonl")).First();

        // One partition's messages in order: an audit event, then a message holding none.
        await _kafka.ProduceAsync(Topic, [("alice", auditEvent), ("alice", "not an audit event")]);
        var options = new KafkaOptions { BootstrapServers = _kafka.BootstrapServers, Topic = Topic, GroupId = "offsets" };
        var queue = new IngestQueue(1_000);
        using var source = ConsumingSource.Start(options, queue);

        // Detection is behind: nothing is taken from the queue while the source reads both messages.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (source.Counters.DeadLettered == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, source.Counters.DeadLettered);
        source.Stop();

        Assert.All(Committed(options), offset => Assert.Equal(Offset.Unset, offset));
    }

    [Fact]
    public async Task Consecutive_messages_of_a_partition_reach_detection_in_order_in_bounded_batches_and_all_are_committed()
    {
        await _kafka.CreateTopicAsync(Topic);
        var lines = File.ReadLines(Incidents.Fixture("perfspec_helm_audit.jsonl")).Take(1_500).ToList();

        // One partition (one key), a message without audit events in the middle of it.
        var messages = lines.Take(700).Append("not an audit event").Concat(lines.Skip(700)).Select(line => ("alice", line)).ToList();
        await _kafka.ProduceAsync(Topic, messages);
        var options = new KafkaOptions { BootstrapServers = _kafka.BootstrapServers, Topic = Topic, GroupId = "runs" };
        var queue = new IngestQueue(100_000);
        using var source = ConsumingSource.Start(options, queue);

        // Detection's part: take each batch, then let it store its offset.
        var batches = new List<EventBatch>();
        var taken = 0;
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var batch in queue.Reader.ReadAllAsync(reading.Token))
        {
            queue.MarkTaken(batch);
            batch.Processed?.Invoke();
            batches.Add(batch);
            if ((taken += batch.Events.Count) == lines.Count)
            {
                break;
            }
        }

        source.Stop();

        Assert.Equal(lines.Count, taken);
        Assert.Equal(1, source.Counters.DeadLettered);
        Assert.InRange(batches.Count, 3, messages.Count / 10);
        Assert.All(batches, batch => Assert.InRange(batch.Events.Count, 1, PartitionRun.MaxMessages));
        Assert.Single(batches.Select(b => b.Lane).Distinct());

        // Every line as the decoder reads it, in the order produced: what detection must have received, in that order.
        var decoder = new AuditStreamDecoder();
        var produced = lines.Select(line => decoder.Decode(Encoding.UTF8.GetBytes(line), "expected").Single().Event!.Value).Select(e => (e.AuditId, e.Stage, e.StageTimestamp));
        Assert.Equal(produced, batches.SelectMany(b => b.Events).Select(e => (e.AuditId, e.Stage, e.StageTimestamp)));
        Assert.Contains(new Offset(messages.Count), Committed(options));
    }

    /// <summary>The Kafka source on a thread of its own, as <c>KafkaSourceWorker</c> runs it.</summary>
    private sealed class ConsumingSource : IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();
        private readonly KafkaAuditSource _source;
        private readonly Thread _consumer;

        private ConsumingSource(KafkaOptions options, IngestQueue queue)
        {
            _source = new KafkaAuditSource(options, new AuditStreamDecoder(), queue, new IngestCounters(), Counters, TimeProvider.System, NullLogger.Instance);
            _consumer = new Thread(() => _source.Run(_stopping.Token)) { IsBackground = true };
        }

        public KafkaCounters Counters { get; } = new();

        public static ConsumingSource Start(KafkaOptions options, IngestQueue queue)
        {
            var source = new ConsumingSource(options, queue);
            source._consumer.Start();
            return source;
        }

        /// <summary>The worker's shutdown: stop consuming, commit what was stored, leave the group.</summary>
        public void Stop()
        {
            _stopping.Cancel();
            _consumer.Join();
            _source.Close();
        }

        public void Dispose()
        {
            _source.Dispose();
            _stopping.Dispose();
        }
    }

    private List<Offset> Committed(KafkaOptions options)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(Topic, p.PartitionId)).ToList();
        using var reader = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = options.GroupId }).Build();
        return [.. reader.Committed(partitions, TimeSpan.FromSeconds(10)).Select(p => p.Offset)];
    }
}
