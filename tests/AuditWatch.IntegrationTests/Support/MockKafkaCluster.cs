using System.Text;
using Confluent.Kafka;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// The mock Kafka cluster built into librdkafka (<c>test.mock.num.brokers=3</c>): real brokers speaking the Kafka
/// protocol over TCP on loopback, alive as long as this object. Its bootstrap servers come from the log line
/// "Mock cluster enabled: … replaced with HOST:PORT,…".
/// </summary>
internal sealed class MockKafkaCluster : IDisposable
{
    private readonly IAdminClient _admin;

    public MockKafkaCluster()
    {
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _admin = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "3" }) { BootstrapServers = "unused:9092" })
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
        BootstrapServers = announced.Task.Wait(TimeSpan.FromSeconds(30)) ? announced.Task.Result : throw new TimeoutException("the mock cluster did not announce its brokers");
    }

    public string BootstrapServers { get; }

    /// <summary>The client that owns the mock cluster, for fault injection.</summary>
    public IClient Owner => _admin;

    /// <summary>
    /// The mock cluster creates a topic (with its default of 4 partitions) the first time a client asks for it; its
    /// CreateTopics needs a controller it does not elect. Returns the number of partitions.
    /// </summary>
    public Task<int> CreateTopicAsync(string topic)
    {
        var metadata = _admin.GetMetadata(topic, TimeSpan.FromSeconds(30));
        var partitions = metadata.Topics.Single(t => t.Topic == topic).Partitions.Count;
        return partitions > 0 ? Task.FromResult(partitions) : throw new InvalidOperationException($"mock topic {topic} has no partitions");
    }

    /// <summary>Produces each (key, value) and waits for the acknowledgements.</summary>
    public async Task ProduceAsync(string topic, IEnumerable<(string Key, string Value)> messages) =>
        await KafkaMessages.ProduceAsync(BootstrapServers, topic, messages);

    public void Dispose() => _admin.Dispose();
}

internal static class KafkaMessages
{
    public static async Task ProduceAsync(string bootstrapServers, string topic, IEnumerable<(string Key, string Value)> messages, IDictionary<string, string>? extra = null)
    {
        var config = new ProducerConfig(extra ?? new Dictionary<string, string>()) { BootstrapServers = bootstrapServers, Acks = Acks.All, LingerMs = 5 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        await Task.WhenAll(messages.Select(m => producer.ProduceAsync(topic, new Message<string, string> { Key = m.Key, Value = m.Value })));
        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>Audit log lines as Kafka messages keyed by their user, as a log shipper would send them.</summary>
    public static IEnumerable<(string Key, string Value)> FromLines(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(line => (UserOf(line), line));

    public static List<(string Key, string Value)> Consume(string bootstrapServers, string topic, int expected, IDictionary<string, string>? extra = null)
    {
        var config = new ConsumerConfig(extra ?? new Dictionary<string, string>()) { BootstrapServers = bootstrapServers, GroupId = "test-reader-" + Guid.NewGuid(), AutoOffsetReset = AutoOffsetReset.Earliest };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var result = new List<(string, string)>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (result.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } message)
            {
                var error = message.Message.Headers?.FirstOrDefault(h => h.Key == "auditwatch-error");
                result.Add((error is null ? message.Message.Key : Encoding.UTF8.GetString(error.GetValueBytes()), message.Message.Value));
            }
        }

        consumer.Close();
        return result;
    }

    private static string UserOf(string line)
    {
        using var document = System.Text.Json.JsonDocument.Parse(line);
        return document.RootElement.TryGetProperty("user", out var user) ? user.GetProperty("username").GetString() ?? string.Empty : string.Empty;
    }
}
