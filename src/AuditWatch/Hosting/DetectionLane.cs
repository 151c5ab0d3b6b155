using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Threading.Channels;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Rules.Model;

namespace AuditWatch.Hosting;

/// <summary>
/// One detection pipeline with its own event-time order and state: the local lane (webhook, files) or one Kafka
/// partition. Batches go in through a channel; a batch's <c>Processed</c> runs once the watermark has passed all its
/// events (<see cref="BatchesAwaitingWatermark"/>). <see cref="CompleteAsync"/> ends the lane as a quiet stream would
/// (open incidents resolve); <see cref="DropAsync"/> forgets its state without a word (the partition has a new owner).
/// </summary>
internal sealed class DetectionLane
{
    private readonly Channel<EventBatch> _batches = Channel.CreateUnbounded<EventBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly IDisposable _subscription;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _dropped = new();
    private readonly TaskCompletionSource _readingEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly BatchesAwaitingWatermark _awaiting = new();
    private readonly List<(long NewestTicks, long Position)> _reached = [];

    // Per source, the newest request time of every event fed, tracked batch or not: a batch is safe only once the
    // requests of its source's batches before it are judged too (the rules take requests in event-time order, not in the
    // order batches came, and a tailed chunk saves its position with its last batch only). Per source, so that one
    // source's events do not hold another's positions back.
    private readonly Dictionary<string, long> _newestFed = new(StringComparer.Ordinal);
    private readonly long _latenessTicks;
    private readonly Action<EventBatch> _taken;
    private readonly PipelineCounters _counters;

    /// <param name="taken">A batch is off the lane's hands: all its events went into the pipeline, or it was handed back unread.</param>
    public DetectionLane(IObservable<IReadOnlyList<Rule>> rules, DetectionOptions options, PipelineCounters counters, IObservable<DateTimeOffset> ticks, TimeProvider time, Action<EventBatch> taken, Action<Alert> onAlert, Action<Exception> onFailure)
    {
        _taken = taken;
        _counters = counters;
        _latenessTicks = options.EventTime.AllowedLateness.Ticks;

        // The task's end is the stream's end (Rx completes the observable then, and open incidents resolve): a dropped
        // lane must not end it, so after the drop it waits, silent, until its subscription is disposed.
        var source = Observable.Create<AuditEvent>(async (observer, cancellationToken) =>
        {
            bool endOfInput;
            try
            {
                endOfInput = await ReadAsync(observer, cancellationToken);
            }
            finally
            {
                _readingEnded.TrySetResult();
            }

            if (!endOfInput)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        _subscription = DetectionPipeline.Detect(source, rules, options with { Replay = new ReplayProgress() }, new HistoricalScheduler(), counters, (ticks, time), _awaiting.Passed)
            .Subscribe(onAlert, error => { Halt(); onFailure(error); _finished.TrySetException(error); }, () => _finished.TrySetResult());
    }

    public void Add(EventBatch batch) => _batches.Writer.TryWrite(batch);

    /// <summary>
    /// Detection or its output failed: no batch is counted as safe any more, so that what was not judged, or whose alert
    /// did not go out, is read again after the restart. Safe to call from any thread.
    /// </summary>
    public void Halt() => _awaiting.HandBack();

    public Task CompleteAsync()
    {
        _batches.Writer.TryComplete();
        return _finished.Task;
    }

    /// <summary>
    /// Forgets the lane. Batches not yet through it are handed back: off the queue's books, but with no offset stored, so
    /// whoever owns the partition next (this consumer too, after a reassignment) reads them again: at least once. So are
    /// batches whose events still wait for the watermark (never processed). Waits for the reading loop to stop between
    /// two events first, so each event is either through the pipeline or handed back.
    /// </summary>
    public async Task DropAsync()
    {
        _dropped.Cancel();
        await _readingEnded.Task;

        // Before the pipeline goes, so that no watermark reported meanwhile counts abandoned requests as evaluated.
        _awaiting.HandBack();
        _subscription.Dispose();
        while (_batches.Reader.TryRead(out var batch))
        {
            _counters.RecordHandedBack(batch.Events.Count);
            _taken(batch);
        }

        _finished.TrySetResult();
    }

    /// <summary>Feeds the batches' events to the pipeline; true at the end of input, false when dropped or unsubscribed.</summary>
    private async Task<bool> ReadAsync(IObserver<AuditEvent> observer, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _dropped.Token);
        try
        {
            await foreach (var batch in _batches.Reader.ReadAllAsync(linked.Token))
            {
                if (!Feed(batch, observer))
                {
                    return false;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    /// <summary>Feeds one batch; false when the lane was dropped part-way (the batch is handed back).</summary>
    private bool Feed(EventBatch batch, IObserver<AuditEvent> observer)
    {
        var wantsProgress = batch.WantsProgress;
        var points = batch.SafePoints;
        var nextPoint = 0;
        var newest = _newestFed.GetValueOrDefault(batch.Source, DateTimeOffset.MinValue.UtcTicks);
        _reached.Clear();
        for (var i = 0; i < batch.Events.Count; i++)
        {
            if (_dropped.IsCancellationRequested)
            {
                // Part of the batch went through, the rest is read again by the next owner: not safe.
                _counters.RecordHandedBack(batch.Events.Count - i);
                _taken(batch);
                return false;
            }

            for (; points is not null && nextPoint < points.Count && points[nextPoint].EventsBefore <= i; nextPoint++)
            {
                _reached.Add((newest, points[nextPoint].Position));
            }

            var auditEvent = batch.Events[i];
            observer.OnNext(auditEvent);

            // Other stages never become requests, so nothing waits for them: a lane of nothing else is safe at once. Nor
            // for a request stamped ahead: the rules judged it as it went in, and the watermark may never reach it.
            var requestTicks = auditEvent.RequestTime.UtcTicks;
            if (RequestCounter.MayCount(auditEvent) && requestTicks > newest && requestTicks - _latenessTicks <= _awaiting.WatermarkTicks)
            {
                newest = requestTicks;
            }
        }

        _newestFed[batch.Source] = newest;

        // Before the batch counts as taken: a shutdown waiting for every batch to be taken then commits what this stores.
        if (wantsProgress)
        {
            _awaiting.Add(batch, _reached, newest);
        }

        _taken(batch);
        return true;
    }
}
