using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Files;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Hosting;

/// <summary>Tails every file of <c>Sources:Files:Paths</c> until shutdown; positions live under the data directory.</summary>
public sealed class FileTailWorker(
    FileSourceOptions options,
    DetectionSettings detection,
    AuditStreamDecoder decoder,
    IngestQueue queue,
    IngestCounters counters,
    Readiness readiness,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var positions = new FilePositionStore(detection.DataDirectory);
        var logger = loggers.CreateLogger<AuditLogTailer>();
        var tailers = options.Paths
            .Select(path => new AuditLogTailer(path, positions, decoder, queue, counters, time, logger).RunAsync(options.PollInterval, stoppingToken))
            .ToList();
        readiness.FilesStarted = true;
        return Task.WhenAll(tailers);
    }
}
