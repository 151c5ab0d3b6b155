using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Formatting;
using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Sinks.JsonFile;

/// <summary>Appends each alert as one JSON line to <c>Sinks:File:Path</c>.</summary>
public sealed class JsonFileSink(string path) : IAlertSink
{
    public static readonly SinkDefinition Definition = new("file", (section, _, errors) =>
    {
        var options = section.Get<JsonFileSinkOptions>() ?? new JsonFileSinkOptions();
        if (options.Path is not { Length: > 0 } path)
        {
            return null;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || !Directory.Exists(directory))
        {
            errors.Add($"Sinks:File:Path: the directory of {path} does not exist");
            return null;
        }

        return new JsonFileSink(path);
    });

    public string Name => "file";

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        try
        {
            var lines = string.Concat(notification.Alerts.Select(a => AlertJson.Serialize(a) + "\n"));
            await File.AppendAllTextAsync(path, lines, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new DeliveryException($"cannot append to {path}: {ex.Message}", permanent: false, inner: ex);
        }
    }
}
