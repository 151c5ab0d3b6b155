using System.Diagnostics.Tracing;
using Prometheus;

namespace AuditWatch.Metrics;

/// <summary>
/// Times every stop-the-world pause of the .NET runtime from its own GC events (all threads suspended until they are
/// restarted) and observes it by cause: the generation collected, or <c>other</c> for a suspension that was no
/// collection (the JIT's tiering patching code, a debugger). Each pause delays every alert in flight; the runtime's own
/// metrics export only their total.
/// </summary>
public sealed class RuntimePauseListener(Histogram pauses) : EventListener
{
    public static readonly string[] Causes = ["gen0", "gen1", "gen2", "other"];

    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GcStart = 1;
    private const int RestartEeEnd = 3;
    private const int SuspendEeBegin = 9;

    // SUSPEND_FOR_GC and SUSPEND_FOR_GC_PREP in the runtime's suspend reasons.
    private const uint SuspendForGc = 1;
    private const uint SuspendForGcPrep = 6;

    private readonly Lock _lock = new();

    // Initialized before the base constructor runs, which may already enable the runtime's events.
    private Histogram? _pauses = pauses;
    private DateTime? _suspendedAt;
    private bool _suspendedForGc;
    private string? _collected;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (_pauses is not { } pauses)
        {
            return;
        }

        lock (_lock)
        {
            switch (eventData.EventId)
            {
                case SuspendEeBegin:
                    _suspendedAt = eventData.TimeStamp;
                    _suspendedForGc = Payload(eventData, "Reason") is SuspendForGc or SuspendForGcPrep;
                    _collected = null;
                    break;
                case GcStart:
                    _collected = Payload(eventData, "Depth") is { } generation and < 2 ? Causes[generation] : "gen2";
                    break;
                case RestartEeEnd when _suspendedAt is { } suspendedAt:
                    // A suspension for a collection that started none is a later pause of a background (gen2) collection.
                    var cause = _collected ?? (_suspendedForGc ? "gen2" : "other");
                    pauses.WithLabels(cause).Observe(Math.Max(0, (eventData.TimeStamp - suspendedAt).TotalSeconds));
                    _suspendedAt = null;
                    break;
            }
        }
    }

    public override void Dispose()
    {
        _pauses = null;
        base.Dispose();
    }

    private static uint? Payload(EventWrittenEventArgs eventData, string name)
    {
        var index = eventData.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 && eventData.Payload?[index] is { } value ? Convert.ToUInt32(value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
