using AuditWatch.Alerting.Formatting;
using AuditWatch.Alerting.Redaction;
using AuditWatch.Cli;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Output;

/// <summary>
/// Alerts on stdout, as text or one JSON object per line; nothing else is ever written there. Guarded against
/// credentials like every sink, since stdout usually ends up in a log store.
/// </summary>
public sealed class ConsoleAlertWriter(TextWriter stdout, OutputFormat format)
{
    private readonly Lock _gate = new();

    public void Write(Alert alert)
    {
        alert = SecretGuard.Scrub(alert);
        var text = format == OutputFormat.Jsonl ? AlertJson.Serialize(alert) : AlertText.Format(alert);
        lock (_gate)
        {
            stdout.WriteLine(text);
            stdout.Flush();
        }
    }
}
