using Confluent.Kafka;

namespace AuditWatch.Benchmarks;

/// <summary>
/// The baseline: a Confluent.Kafka consumer with AuditWatch's own consumer settings, in a new group, on a thread of its
/// own (as the Kafka source runs), that consumes the subscribed topics' messages and discards them.
/// </summary>
internal sealed class BareConsumerRound : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly string _subscription;
    private readonly long _expected;
    private readonly TimeSpan _limit;
    private readonly ManualResetEventSlim _firstMessage = new();
    private readonly Thread _thread;
    private long _consumed;

    private BareConsumerRound(ConsumerConfig config, string subscription, long expected, TimeSpan limit)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        _subscription = subscription;
        _expected = expected;
        _limit = limit;
        _thread = new Thread(ConsumeAndDiscard) { IsBackground = true, Name = "bare-consumer" };
    }

    public static BareConsumerRound Start(ConsumerConfig config, string subscription, long expected, TimeSpan limit)
    {
        var round = new BareConsumerRound(config, subscription, expected, limit);
        round._thread.Start();
        return round;
    }

    /// <summary>Returns once the group was joined and the first message consumed.</summary>
    public void WaitForFirstMessage()
    {
        if (!_firstMessage.Wait(_limit))
        {
            throw new TimeoutException($"the bare consumer got no message from {_subscription} within {_limit}");
        }
    }

    /// <summary>Returns the number of messages once all were consumed.</summary>
    public long WaitUntilDone()
    {
        _thread.Join();
        return _consumed == _expected ? _consumed : throw new TimeoutException($"the bare consumer got {_consumed} of {_expected} messages within {_limit}");
    }

    public void Dispose()
    {
        _thread.Join();
        _consumer.Close();
        _consumer.Dispose();
        _firstMessage.Dispose();
    }

    private void ConsumeAndDiscard()
    {
        _consumer.Subscribe(_subscription);
        var deadline = DateTime.UtcNow + _limit;
        while (_consumed < _expected)
        {
            if (_consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { IsPartitionEOF: false })
            {
                if (DateTime.UtcNow > deadline)
                {
                    return;
                }

                continue;
            }

            if (++_consumed == 1)
            {
                _firstMessage.Set();
            }
        }
    }
}
