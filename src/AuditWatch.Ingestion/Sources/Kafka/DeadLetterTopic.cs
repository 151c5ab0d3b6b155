using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>
/// Where a message with no audit event in it goes, unchanged, with the error and its position as headers. Without a
/// dead-letter topic configured it is only counted and logged.
/// </summary>
internal sealed partial class DeadLetterTopic(KafkaOptions options, KafkaCounters counters, ILogger logger) : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?>? _producer = options.DeadLetterTopic is null
        ? null
        : new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfig.Producer(options)).Build();

    public void Send(ConsumeResult<byte[]?, byte[]?> result, string error)
    {
        counters.DeadLetter();
        LogPoison(logger, result.TopicPartitionOffset.ToString(), error);
        if (_producer is null)
        {
            return;
        }

        var message = new Message<byte[]?, byte[]?>
        {
            Key = result.Message.Key,
            Value = result.Message.Value,
            Headers =
            [
                new Header("auditwatch-error", Encoding.UTF8.GetBytes(error)),
                new Header("auditwatch-source", Encoding.UTF8.GetBytes(result.TopicPartitionOffset.ToString())),
            ],
        };
        try
        {
            _producer.ProduceAsync(options.DeadLetterTopic, message).GetAwaiter().GetResult();
        }
        catch (ProduceException<byte[]?, byte[]?> ex)
        {
            counters.ProduceError();
            LogProduceFailed(logger, ex.Error.Code, ex.Error.Reason);
        }
    }

    public void Flush() => _producer?.Flush(TimeSpan.FromSeconds(10));

    public void Dispose() => _producer?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "kafka message {Position} holds no audit event, dead-lettered: {Error}")]
    private static partial void LogPoison(ILogger logger, string position, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kafka error {Code}: {Reason}")]
    private static partial void LogProduceFailed(ILogger logger, ErrorCode code, string reason);
}
