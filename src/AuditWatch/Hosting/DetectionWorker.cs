using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Metrics;
using AuditWatch.Output;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Hosting;

/// <summary>
/// Runs live detection: batches from the ingest queue go to their lane's pipeline (local, or one per Kafka partition),
/// wall-clock ticks move idle watermarks, alerts go to the console and to routing. On shutdown the queue is closed,
/// everything it accepted is drained, the local lane ends as a quiet stream would and Kafka lanes are dropped (their
/// partitions' next owner rebuilds them).
/// </summary>
public sealed partial class DetectionWorker(
    IngestQueue queue,
    RuleReloader rules,
    DetectionOptions options,
    DetectionSettings settings,
    PipelineCounters counters,
    AlertMetrics alertMetrics,
    ConsoleAlertWriter writer,
    AlertingSetup alerting,
    Readiness readiness,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DetectionWorker> logger) : BackgroundService
{
    // Read from pipeline threads too, when one of them fails.
    private readonly ConcurrentDictionary<string, DetectionLane> _lanes = new(StringComparer.Ordinal);
    private readonly Lock _output = new();

    // Taken to open a lane and to fail: a lane opened while another fails is halted by one side or the other.
    private readonly Lock _failure = new();
    private bool _failed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ticks = Observable.Interval(settings.IdleTick, TaskPoolScheduler.Default).Select(_ => time.GetUtcNow()).Publish().RefCount();
        var stampedAhead = new StampedAheadLog(counters, time, logger);
        var ruleFailures = new RuleFailureLog(counters, time, logger);
        using var reports = ticks.Subscribe(_ =>
        {
            stampedAhead.Check();
            ruleFailures.Check();
        });
        readiness.DetectionStarted = true;

        // Not cancelled by shutdown: the queue is completed instead, so what was accepted is drained.
        await foreach (var batch in queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (batch.DropLane)
            {
                if (_lanes.TryRemove(batch.Lane, out var dropped))
                {
                    await dropped.DropAsync();
                }

                queue.MarkTaken(batch);
                continue;
            }

            if (!_lanes.TryGetValue(batch.Lane, out var lane))
            {
                var name = batch.Lane;
                lane = new DetectionLane(rules.RuleSets, options, counters, ticks, time, queue.MarkTaken, Publish, error => Failed(name, error));
                lock (_failure)
                {
                    _lanes[batch.Lane] = lane;
                    if (_failed)
                    {
                        lane.Halt();
                    }
                }
            }

            lane.Add(batch);
        }

        foreach (var (name, lane) in _lanes)
        {
            if (name == EventBatch.LocalLane)
            {
                await lane.CompleteAsync();
            }
            else
            {
                await lane.DropAsync();
            }
        }

        // A rule failing as the last lanes closed (at the end of their input) is told too.
        reports.Dispose();
        ruleFailures.Check(final: true);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>
    /// A pipeline that failed takes nothing more, so its queue would fill and the sources stall without a word: stop
    /// with an error instead, so that the orchestrator restarts the service (Kafka reads again from the last commit).
    /// No lane counts anything as safe from here on: an alert may not have gone out.
    /// </summary>
    private void Failed(string lane, Exception error)
    {
        lock (_failure)
        {
            _failed = true;
            foreach (var each in _lanes.Values)
            {
                each.Halt();
            }
        }

        LogLaneFailed(logger, lane, error);
        readiness.DetectionFailed = true;
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "detection for {Lane} failed; stopping so that the service is restarted")]
    private static partial void LogLaneFailed(ILogger logger, string lane, Exception error);

    private void Publish(Alert alert)
    {
        lock (_output)
        {
            try
            {
                alertMetrics.Record(alert);
                writer.Write(alert);
                alerting.Dispatcher.Add(alert, alerting.Clock.Now);
            }
            catch (Exception ex)
            {
                // Thrown back into the pipeline, it would end the lane without a word (Rx drops it after detaching).
                Failed("alert output", ex);
            }
        }
    }
}
