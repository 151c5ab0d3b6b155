using System.Text.Json;
using System.Text.Json.Nodes;
using AuditWatch.Alerting.Formatting;

namespace AuditWatch.Alerting.Delivery;

/// <summary>Notifications that could not be delivered, one JSON line each with the sink and the error, for a person to replay.</summary>
public sealed class DeadLetterFile(string path, TimeProvider time)
{
    private readonly Lock _gate = new();

    public string Path => path;

    /// <summary>Appends the notification; false when even that failed (disk full), which the caller counts and logs.</summary>
    public bool Write(string sink, Notification notification, string error)
    {
        var line = new JsonObject
        {
            ["time"] = time.GetUtcNow().UtcDateTime.ToString("O"),
            ["sink"] = sink,
            ["error"] = error,
            ["route"] = notification.Route,
            ["alerts"] = new JsonArray([.. notification.Alerts.Select(a => JsonNode.Parse(AlertJson.Serialize(a)))]),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        try
        {
            lock (_gate)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
                File.AppendAllText(path, line + "\n");
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
