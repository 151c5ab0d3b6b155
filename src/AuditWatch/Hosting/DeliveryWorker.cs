using AuditWatch.Alerting.Routing;
using Microsoft.Extensions.Hosting;

namespace AuditWatch.Hosting;

/// <summary>
/// Turns grouped alerts into notifications when their time comes (group_wait, group_interval, repeat_interval) and
/// runs each sink's delivery loop. Stops last: what detection drained is flushed to the sinks, whose queues drain too.
/// </summary>
public sealed class DeliveryWorker(AlertingSetup alerting, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = alerting.Deliveries.Select(d => Task.Run(d.RunAsync, CancellationToken.None)).ToList();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Dispatch(flush: false);
                await Task.Delay(Tick, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Dispatch(flush: true);
        foreach (var delivery in alerting.Deliveries)
        {
            delivery.Complete();
        }

        await Task.WhenAll(loops);
    }

    private void Dispatch(bool flush)
    {
        foreach (var (notification, sinks) in alerting.Dispatcher.TakeDue(alerting.Clock.Now, flush))
        {
            foreach (var delivery in alerting.Deliveries.Where(d => sinks.Contains(d.Name)))
            {
                delivery.Enqueue(notification);
            }
        }
    }
}
