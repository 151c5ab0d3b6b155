using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Threading.Channels;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Rules.Model;

namespace AuditWatch.Hosting;

/// <summary>
/// One detection pipeline with its own event-time order and state: the local lane (webhook, files) or one Kafka
/// partition. Batches go in through a channel; a batch's <c>Processed</c> runs once the pipeline has taken all its
/// events. <see cref="CompleteAsync"/> ends the lane as a quiet stream would (open incidents resolve);
/// <see cref="Drop"/> forgets its state without a word (the partition has a new owner).
/// </summary>
internal sealed class DetectionLane
{
    private readonly Channel<EventBatch> _batches = Channel.CreateUnbounded<EventBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly IDisposable _subscription;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<EventBatch> _taken;

    public DetectionLane(IObservable<IReadOnlyList<Rule>> rules, DetectionOptions options, PipelineCounters counters, IObservable<DateTimeOffset> ticks, TimeProvider time, Action<EventBatch> taken, Action<Alert> onAlert)
    {
        _taken = taken;
        var source = Observable.Create<AuditEvent>(async (observer, cancellationToken) =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _dropped.Token);
            try
            {
                await foreach (var batch in _batches.Reader.ReadAllAsync(linked.Token))
                {
                    foreach (var auditEvent in batch.Events)
                    {
                        observer.OnNext(auditEvent);
                    }

                    taken(batch);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            observer.OnCompleted();
        });
        _subscription = DetectionPipeline.Detect(source, rules, options with { Replay = new ReplayProgress() }, new HistoricalScheduler(), counters, (ticks, time))
            .Subscribe(onAlert, error => _finished.TrySetException(error), () => _finished.TrySetResult());
    }

    public void Add(EventBatch batch) => _batches.Writer.TryWrite(batch);

    public Task CompleteAsync()
    {
        _batches.Writer.TryComplete();
        return _finished.Task;
    }

    /// <summary>
    /// Forgets the lane. Batches not yet through it are let go as taken, so queue accounting stays right; their offsets
    /// are not stored by then (the partition is revoked), so the next owner reads them again: at least once.
    /// </summary>
    public void Drop()
    {
        _dropped.Cancel();
        _subscription.Dispose();
        while (_batches.Reader.TryRead(out var batch))
        {
            _taken(batch);
        }

        _finished.TrySetResult();
    }
}
