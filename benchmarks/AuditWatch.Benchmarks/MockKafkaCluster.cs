using Confluent.Kafka;

namespace AuditWatch.Benchmarks;

/// <summary>
/// The mock Kafka cluster built into librdkafka (<c>test.mock.num.brokers=3</c>, as the integration tests use it):
/// brokers speaking the Kafka protocol over loopback inside this process, alive as long as this object. Its bootstrap
/// servers come from the log line "Mock cluster enabled: … replaced with HOST:PORT,…".
/// </summary>
internal sealed class MockKafkaCluster : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly IAdminClient _owner;

    public MockKafkaCluster()
    {
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new AdminClientConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "3" }) { BootstrapServers = "unused:9092" };
        _owner = new AdminClientBuilder(config)
            .SetLogHandler((_, message) =>
            {
                const string marker = "replaced with ";
                var at = message.Message.IndexOf(marker, StringComparison.Ordinal);
                if (message.Message.Contains("Mock cluster enabled", StringComparison.Ordinal) && at >= 0)
                {
                    announced.TrySetResult(message.Message[(at + marker.Length)..].Trim());
                }
            })
            .Build();
        BootstrapServers = announced.Task.Wait(Patience) ? announced.Task.Result : throw new TimeoutException("the mock cluster did not announce its brokers");
    }

    public string BootstrapServers { get; }

    /// <summary>The mock cluster creates a topic (4 partitions) the first time a client asks for it.</summary>
    public void CreateTopic(string topic)
    {
        var partitions = _owner.GetMetadata(topic, Patience).Topics.Single(t => t.Topic == topic).Partitions.Count;
        if (partitions == 0)
        {
            throw new InvalidOperationException($"mock topic {topic} has no partitions");
        }
    }

    /// <summary>Produces every message and waits until the brokers acknowledged all of them.</summary>
    public void Produce(string topic, IReadOnlyList<Message<byte[], byte[]>> messages)
    {
        var config = new ProducerConfig { BootstrapServers = BootstrapServers, Acks = Acks.All, LingerMs = 5 };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        long failed = 0;
        foreach (var message in messages)
        {
            ProduceWaitingForRoom(producer, topic, message, report =>
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failed);
                }
            });
        }

        if (producer.Flush(Patience) > 0 || Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"producing to mock topic {topic} failed ({failed} errors)");
        }
    }

    public void Dispose() => _owner.Dispose();

    private static void ProduceWaitingForRoom(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> handler)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, handler);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
