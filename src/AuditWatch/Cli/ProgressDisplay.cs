using System.Globalization;

namespace AuditWatch.Cli;

/// <summary>
/// A one-line progress display on stderr, redrawn a few times a second, only when stderr is a terminal. It draws once
/// on start and once on stop, so the first and last states are always shown, then clears its line.
/// </summary>
internal sealed class ProgressDisplay : IDisposable
{
    private const int BarWidth = 30;
    private readonly TextWriter _stderr;
    private readonly Func<string> _line;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private int _lastWidth;
    private bool _stopped;

    private ProgressDisplay(TextWriter stderr, Func<string> line, TimeProvider wallClock)
    {
        _stderr = stderr;
        _line = line;
        Draw();
        _timer = wallClock.CreateTimer(_ => Draw(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    public static IDisposable StartIfTerminal(TextWriter stderr, Func<string> line, TimeProvider wallClock) =>
        Console.IsErrorRedirected ? new Nothing() : new ProgressDisplay(stderr, line, wallClock);

    /// <summary><c>[#####.....]  50% </c>, or nothing when the total is unknown.</summary>
    public static string Bar(long done, long total)
    {
        if (total <= 0)
        {
            return string.Empty;
        }

        var fraction = Math.Clamp((double)done / total, 0, 1);
        var filled = (int)(fraction * BarWidth);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction,4:P0} ");
    }

    public void Dispose()
    {
        _timer.Dispose();
        Draw();
        lock (_gate)
        {
            _stopped = true;
            _stderr.Write("\r" + new string(' ', _lastWidth) + "\r");
            _stderr.Flush();
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

            var line = _line();
            _stderr.Write("\r" + line.PadRight(_lastWidth));
            _stderr.Flush();
            _lastWidth = Math.Max(_lastWidth, line.Length);
        }
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
