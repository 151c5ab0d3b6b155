using AuditWatch.Detection.Pipeline;
using AuditWatch.Hosting;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Kafka;
using AuditWatch.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Accounting;

/// <summary>
/// Logs the accounting once everything else has stopped (registered first, so it stops last): what came in, what
/// detection took, where every alert notice ended. A warning when a balance does not hold or something is still in flight.
/// </summary>
public sealed partial class AccountingReport(
    IngestCounters ingest,
    IngestQueue queue,
    PipelineCounters pipeline,
    AlertingSetup alerting,
    AlertMetrics alerts,
    KafkaCounters kafka,
    ILogger<AccountingReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        var snapshot = AccountingSnapshot.Take(ingest, queue, pipeline, alerting.Counters, alerts.Notices, kafka.Produced);
        if (snapshot.Balanced && snapshot.AtRest)
        {
            LogBalanced(logger, snapshot.ToString());
        }
        else
        {
            LogUnbalanced(logger, snapshot.ToString());
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "accounting at stop: {Accounting}")]
    private static partial void LogBalanced(ILogger logger, string accounting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "accounting at stop does not balance or is not at rest: {Accounting}")]
    private static partial void LogUnbalanced(ILogger logger, string accounting);
}
