using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Hosting;

/// <summary>
/// Runs the Kafka consumer on a thread of its own. Stops before detection: consumption ends, the runs already handed
/// over are let into detection (the offsets of what the watermark has passed are stored), then the stored offsets are
/// committed and the group left. What still waits for the watermark is left to the partitions' next reader.
/// </summary>
public sealed class KafkaSourceWorker(
    KafkaOptions options,
    AuditStreamDecoder decoder,
    IngestQueue queue,
    IngestCounters ingest,
    KafkaCounters counters,
    TimeProvider time,
    ILogger<KafkaAuditSource> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(20);
    private readonly CancellationTokenSource _stopping = new();
    private KafkaAuditSource? _source;
    private Thread? _thread;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _source = new KafkaAuditSource(options, decoder, queue, ingest, counters, time, logger);
        _thread = new Thread(() => _source.Run(_stopping.Token)) { IsBackground = true, Name = "kafka-consumer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _thread?.Join();
        var deadline = time.GetUtcNow() + DrainLimit;
        while (_source!.InFlight > 0 && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        _source.Close();
    }

    public void Dispose()
    {
        _source?.Dispose();
        _stopping.Dispose();
    }
}
