using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Sources.Kafka;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Kafka ingestion on librdkafka's mock cluster: AuditWatch's Kafka source (consume, decode, queue the batch, store
/// the offset once it was taken) against a bare consumer that discards what it reads, both on the same topics holding
/// the PerfSPEC capture, one event per message keyed by username. One operation is one message (and one event): Op/s
/// is messages per second, Allocated is per message. Read the ratio column.
/// </summary>
/// <remarks>
/// Every round needs a fresh consumer group (a group's offsets move on) and joining one takes the mock cluster about
/// three seconds. The iteration setup therefore starts the consumer and returns once the first message came through;
/// the measured invocation runs from there until the last message, so only consumption is timed, not joining,
/// leaving or committing at shutdown (iteration cleanup).
/// A mock partition keeps only its last 5 MB and one user's events are 2.9 MB of the capture, all in one partition,
/// so a topic holds the capture once; a round reads <see cref="Copies"/> such topics through a regex subscription
/// (librdkafka's <c>^</c> topic names, which <c>Kafka:Topic</c> passes through) to last long enough to measure.
/// Eight copies are 66 MB, more than librdkafka's default prefetch queue (64 MB): as on a large production backlog, a
/// consumer slower than the fetcher fills it and then waits for the fetch backoff (<c>fetch.queue.backoff.ms</c>).
/// With fewer copies the whole round fits in the prefetch queue and the source looks about twice as fast.
/// </remarks>
[MemoryDiagnoser]
[OperationsPerSecond]
[MinWarmupCount(1)]
[MaxWarmupCount(3)]
[MinIterationCount(3)]
[MaxIterationCount(10)]
public class KafkaIngestionBenchmarks
{
    private const int Copies = 8;
    private const int MessagesPerRound = Copies * CaptureKafkaMessages.EventsInCapture;
    private const string Topics = "^k8s-audit-[0-9]+$";
    private static readonly TimeSpan RoundLimit = TimeSpan.FromMinutes(1);
    private readonly AuditStreamDecoder _decoder = new();
    private MockKafkaCluster? _cluster;
    private BareConsumerRound? _bare;
    private KafkaSourceRound? _source;

    [GlobalSetup]
    public void StartClusterAndProduce()
    {
        _cluster = new MockKafkaCluster();
        var messages = CaptureKafkaMessages.Load();
        for (var copy = 0; copy < Copies; copy++)
        {
            var topic = $"k8s-audit-{copy}";
            _cluster.CreateTopic(topic);
            _cluster.Produce(topic, messages);
        }
    }

    [GlobalCleanup]
    public void StopCluster()
    {
        StopBareConsumer();
        StopKafkaSource();
        _cluster?.Dispose();
    }

    [IterationSetup(Target = nameof(BareConsumer))]
    public void StartBareConsumer()
    {
        _bare?.Dispose();
        _bare = BareConsumerRound.Start(KafkaClientConfig.Consumer(FreshGroup()), Topics, MessagesPerRound, RoundLimit);
        _bare.WaitForFirstMessage();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = MessagesPerRound)]
    public long BareConsumer() => _bare!.WaitUntilDone();

    [IterationCleanup(Target = nameof(BareConsumer))]
    public void StopBareConsumer()
    {
        _bare?.Dispose();
        _bare = null;
    }

    [IterationSetup(Target = nameof(KafkaSource))]
    public void StartKafkaSource()
    {
        _source?.Dispose();
        _source = KafkaSourceRound.Start(FreshGroup(), _decoder, MessagesPerRound, RoundLimit);
        _source.WaitForFirstBatch();
    }

    [Benchmark(OperationsPerInvoke = MessagesPerRound)]
    public long KafkaSource() => _source!.WaitUntilDone();

    [IterationCleanup(Target = nameof(KafkaSource))]
    public void StopKafkaSource()
    {
        _source?.Dispose();
        _source = null;
    }

    /// <summary>AuditWatch's settings with a group of its own, so the round reads the topic from the start.</summary>
    private KafkaOptions FreshGroup() => new()
    {
        BootstrapServers = _cluster!.BootstrapServers,
        Topic = Topics,
        GroupId = "bench-" + Guid.NewGuid().ToString("N"),
    };
}
