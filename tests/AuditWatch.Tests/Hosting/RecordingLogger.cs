using Microsoft.Extensions.Logging;

namespace AuditWatch.Tests.Hosting;

/// <summary>Keeps what is logged at one level, formatted as the console would print it, with its exception.</summary>
internal sealed class RecordingLogger(LogLevel level) : ILogger
{
    public List<(string Message, Exception? Exception)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == level)
        {
            Entries.Add((formatter(state, exception), exception));
        }
    }
}
