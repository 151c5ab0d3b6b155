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
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        lock (_gate)
        {
            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
                using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 1);
                var length = file.Seek(0, SeekOrigin.End);
                try
                {
                    file.Write(bytes);
                }
                catch (IOException)
                {
                    // A full disk can take part of the line: cut it off so the file stays one JSON object per line.
                    TryTruncate(file, length);
                    throw;
                }

                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    private static void TryTruncate(FileStream file, long length)
    {
        try
        {
            file.SetLength(length);
        }
        catch (IOException)
        {
        }
    }
}
