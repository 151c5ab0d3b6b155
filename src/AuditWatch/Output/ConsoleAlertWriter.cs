using AuditWatch.Alerting.Formatting;
using AuditWatch.Cli;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Output;

/// <summary>Alerts on stdout, as text or one JSON object per line; nothing else is ever written there.</summary>
public sealed class ConsoleAlertWriter(TextWriter stdout, OutputFormat format)
{
    private readonly Lock _gate = new();

    public void Write(Alert alert)
    {
        var text = format == OutputFormat.Jsonl ? AlertJson.Serialize(alert) : AlertText.Format(alert);
        lock (_gate)
        {
            stdout.WriteLine(text);
            stdout.Flush();
        }
    }
}
