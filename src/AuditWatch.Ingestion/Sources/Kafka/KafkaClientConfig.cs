using Confluent.Kafka;

namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>librdkafka settings: ours first, then every pass-through property, which may override them.</summary>
public static class KafkaClientConfig
{
    public static ConsumerConfig Consumer(KafkaOptions options)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(options.Consumer))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,

            // At least once: an offset is stored only once detection has taken the message's events, and the stored
            // offsets are committed periodically, on revocation and on shutdown.
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,

            // librdkafka pauses fetching for this long once its prefetch queue is full, which a consumer slower than
            // the fetcher hits on every large backlog: the default of 1 s halved catch-up speed in benchmarks/.
            FetchQueueBackoffMs = 50,
        };
        foreach (var (key, value) in options.Consumer)
        {
            config.Set(key, value);
        }

        return config;
    }

    public static ProducerConfig Producer(KafkaOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = false,
            LingerMs = 5,
        };
        foreach (var (key, value) in options.Producer)
        {
            config.Set(key, value);
        }

        return config;
    }
}
