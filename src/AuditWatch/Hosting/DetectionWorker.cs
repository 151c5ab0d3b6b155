using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Metrics;
using AuditWatch.Output;
using AuditWatch.Rules.Model;
using Microsoft.Extensions.Hosting;

namespace AuditWatch.Hosting;

/// <summary>
/// Runs the live pipeline: batches from the ingest queue, wall-clock ticks for an idle stream, the rules, alerts to the
/// console. On shutdown the queue is closed and everything it accepted is drained through detection before it ends.
/// </summary>
public sealed class DetectionWorker(
    IngestQueue queue,
    IReadOnlyList<Rule> rules,
    DetectionOptions options,
    DetectionSettings settings,
    PipelineCounters counters,
    AlertMetrics alertMetrics,
    ConsoleAlertWriter writer,
    AlertingSetup alerting,
    Readiness readiness,
    TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var events = Observable.Create<AuditEvent>(async observer =>
        {
            // Not cancelled by shutdown: the queue is completed instead, so what was accepted is drained.
            await foreach (var batch in queue.Reader.ReadAllAsync(CancellationToken.None))
            {
                foreach (var auditEvent in batch.Events)
                {
                    observer.OnNext(auditEvent);
                }

                queue.MarkTaken(batch);
                batch.Processed?.Invoke();
            }

            observer.OnCompleted();
        });
        var ticks = Observable.Interval(settings.IdleTick, TaskPoolScheduler.Default).Select(_ => time.GetUtcNow());
        var alerts = DetectionPipeline.Detect(events, rules, options, new HistoricalScheduler(), counters, (ticks, time));

        readiness.DetectionStarted = true;
        await alerts
            .Do(alertMetrics.Record)
            .Do(writer.Write)
            .ForEachAsync(alert => alerting.Dispatcher.Add(alert, time.GetUtcNow()), CancellationToken.None);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }
}
