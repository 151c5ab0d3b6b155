using AuditWatch.Ingestion.Forwarding;
using AuditWatch.Ingestion.Queue;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>
/// Forwarder mode: every accepted event is produced to the topic keyed by its authenticated username, so all requests
/// of one identity land in one partition and one detector sees them all. A batch counts as handed on (its webhook
/// request answered 2xx, its file position saved) only once Kafka acknowledged every event of it.
/// </summary>
public sealed partial class KafkaForwarder(KafkaOptions options, IngestQueue queue, KafkaCounters counters, ILogger logger) : IDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(KafkaClientConfig.Producer(options)).Build();

    /// <summary>Forwards until the queue is completed and drained.</summary>
    public async Task RunAsync()
    {
        await foreach (var batch in queue.Reader.ReadAllAsync())
        {
            while (!await TryForwardAsync(batch))
            {
                // Nothing was acknowledged for good: try the whole batch again (duplicates are filtered downstream).
                await Task.Delay(RetryAfter);
            }

            queue.MarkTaken(batch);
            batch.Processed?.Invoke();
        }

        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _producer.Dispose();

    private async Task<bool> TryForwardAsync(EventBatch batch)
    {
        try
        {
            var deliveries = batch.Events.Select(e => _producer.ProduceAsync(options.Topic, new Message<byte[], byte[]>
            {
                Key = System.Text.Encoding.UTF8.GetBytes(e.User.Username),
                Value = AuditEventWriter.Write(e),
            }));
            await Task.WhenAll(deliveries);
            counters.Produce(batch.Events.Count);
            return true;
        }
        catch (ProduceException<byte[], byte[]> ex)
        {
            counters.ProduceError();
            LogFailed(logger, batch.Events.Count, ex.Error.Reason);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "forwarding {Count} events to Kafka failed, retrying the batch: {Reason}")]
    private static partial void LogFailed(ILogger logger, int count, string reason);
}
