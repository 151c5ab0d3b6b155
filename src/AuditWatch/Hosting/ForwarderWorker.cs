using AuditWatch.Ingestion.Sources.Kafka;
using Microsoft.Extensions.Hosting;

namespace AuditWatch.Hosting;

/// <summary>Forwarder mode: takes the place of detection, producing accepted events to Kafka; drains at shutdown.</summary>
public sealed class ForwarderWorker(KafkaForwarder forwarder, AuditWatch.Ingestion.Queue.IngestQueue queue, Readiness readiness) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        readiness.DetectionStarted = true;
        return forwarder.RunAsync();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }
}
