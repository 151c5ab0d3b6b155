using System.Globalization;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Sources.Files;

namespace AuditWatch.Replay;

/// <summary>A one-line progress bar on stderr, redrawn a few times a second; only when stderr is a terminal.</summary>
internal sealed class ProgressDisplay : IDisposable
{
    private const int BarWidth = 30;
    private readonly TextWriter _stderr;
    private readonly ReadProgress _progress;
    private readonly PipelineCounters _counters;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _stopped;

    private ProgressDisplay(TextWriter stderr, ReadProgress progress, PipelineCounters counters, TimeProvider wallClock)
    {
        _stderr = stderr;
        _progress = progress;
        _counters = counters;
        _timer = wallClock.CreateTimer(_ => Draw(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    public static IDisposable StartIfTerminal(TextWriter stderr, ReadProgress progress, PipelineCounters counters, TimeProvider wallClock) =>
        Console.IsErrorRedirected ? new Nothing() : new ProgressDisplay(stderr, progress, counters, wallClock);

    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            _stopped = true;
            _stderr.Write("\r" + new string(' ', 100) + "\r");
        }
    }

    private void Draw()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            var total = _progress.TotalBytes;
            var read = _progress.BytesRead;
            var fraction = total > 0 ? Math.Clamp((double)read / total, 0, 1) : 0;
            var filled = (int)(fraction * BarWidth);
            var bar = total > 0 ? $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction,4:P0} " : string.Empty;
            _stderr.Write(string.Create(
                CultureInfo.InvariantCulture,
                $"\r{bar}{read / 1048576.0:0.0} MiB, {_counters.Events} events, {_counters.Alerts} alerts   "));
        }
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
