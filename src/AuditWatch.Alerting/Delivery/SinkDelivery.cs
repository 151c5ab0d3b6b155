using System.Diagnostics;
using System.Threading.Channels;
using AuditWatch.Alerting.Redaction;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AuditWatch.Alerting.Delivery;

/// <summary>
/// One sink's own bounded queue and worker, so a slow or dead sink never holds up detection or the other sinks.
/// Retries come from Polly (exponential backoff with jitter, the receiver's Retry-After honoured); after the retry
/// budget, or at once on a permanent error, the notification goes to the dead letter. Every notification passes the
/// secret guard first.
/// </summary>
public sealed partial class SinkDelivery
{
    private readonly IAlertSink _sink;
    private readonly Channel<Notification> _queue;
    private readonly ResiliencePipeline _pipeline;
    private readonly DeadLetterFile _deadLetter;
    private readonly DeliveryCounters.SinkState _state;
    private readonly ILogger _logger;

    public SinkDelivery(IAlertSink sink, DeliveryOptions options, DeadLetterFile deadLetter, DeliveryCounters counters, TimeProvider time, ILogger logger)
    {
        _sink = sink;
        _deadLetter = deadLetter;
        _state = counters.For(sink.Name);
        _logger = logger;
        _queue = Channel.CreateBounded<Notification>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _pipeline = Build(options, time, _state);
    }

    public string Name => _sink.Name;

    /// <summary>Queues a notification; when the sink is this far behind, it goes to the dead letter instead.</summary>
    public void Enqueue(Notification notification)
    {
        if (_queue.Writer.TryWrite(notification))
        {
            _state.Enqueued();
            return;
        }

        DeadLetter(SecretGuard.Scrub(notification), "the sink's queue is full (Delivery:QueueCapacity)");
    }

    /// <summary>
    /// Delivers until the queue is completed and empty. Once <paramref name="giveUp"/> fires (the shutdown timeout ran
    /// out), each notification left goes to the dead letter at once.
    /// </summary>
    public async Task RunAsync(CancellationToken giveUp)
    {
        await foreach (var notification in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            _state.Dequeued();
            await DeliverAsync(SecretGuard.Scrub(notification), giveUp);
        }
    }

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>One notification now, with the same retries; returns the error, or null when delivered.</summary>
    public async Task<string?> DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _pipeline.ExecuteAsync(
                async token =>
                {
                    _state.Attempt();
                    await _sink.SendAsync(notification, token);
                },
                cancellationToken);
            _state.Succeeded(Stopwatch.GetElapsedTime(started), notification.NewAlerts);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            const string error = "gave up at shutdown: Shutdown:Timeout ran out while retrying";
            DeadLetter(notification, error);
            return error;
        }
        catch (Exception ex)
        {
            // Whatever a sink throws (an unwritable alerts file, a bug) ends this notification, never the sink's loop.
            var error = ex.Message;
            DeadLetter(notification, error);
            return error;
        }
    }

    private void DeadLetter(Notification notification, string error)
    {
        var written = _deadLetter.Write(_sink.Name, notification, error);
        _state.DeadLetter(error, notification.NewAlerts, written);
        LogDeadLetter(_logger, _sink.Name, notification.Alerts.Count, error);
        if (!written)
        {
            LogDeadLetterLost(_logger, _deadLetter.Path, _sink.Name, notification.Alerts.Count);
        }
    }

    private static ResiliencePipeline Build(DeliveryOptions options, TimeProvider time, DeliveryCounters.SinkState state)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = new PredicateBuilder()
                    .Handle<DeliveryException>(e => !e.Permanent)
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>(),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is DeliveryException { RetryAfter: { } retryAfter } && retryAfter > TimeSpan.Zero
                        ? TimeSpan.FromTicks(Math.Min(retryAfter.Ticks, options.MaxRetryAfter.Ticks))
                        : null),
                OnRetry = _ =>
                {
                    state.AttemptFailed();
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "could not deliver {Count} alert(s) to {Sink}; written to the dead letter: {Error}")]
    private static partial void LogDeadLetter(ILogger logger, string sink, int count, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "could not write the dead letter {Path} for {Sink} either (disk full?); the notification of {Count} alert(s) is lost")]
    private static partial void LogDeadLetterLost(ILogger logger, string path, string sink, int count);
}
