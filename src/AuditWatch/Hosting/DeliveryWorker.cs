using AuditWatch.Alerting.Routing;
using Microsoft.Extensions.Hosting;

namespace AuditWatch.Hosting;

/// <summary>
/// Turns grouped alerts into notifications when their time comes (group_wait, group_interval, repeat_interval) and
/// runs each sink's delivery loop. Stops last: what detection drained is flushed to the sinks, whose queues drain too;
/// when the shutdown timeout runs out first, retries stop and what is left goes to the dead letter.
/// </summary>
public sealed class DeliveryWorker(AlertingSetup alerting, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DeadLetterGrace = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _giveUp = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The token fires when Shutdown:Timeout runs out: a sink still retrying then gives up, and the worker gets a
        // moment to write what is left to the dead letter instead of leaving it unaccounted for.
        await using var registration = cancellationToken.Register(_giveUp.Cancel);
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { IsCompleted: false } running)
        {
            await running.WaitAsync(DeadLetterGrace, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public override void Dispose()
    {
        _giveUp.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = alerting.Deliveries.Select(d => Task.Run(() => d.RunAsync(_giveUp.Token), CancellationToken.None)).ToList();
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
