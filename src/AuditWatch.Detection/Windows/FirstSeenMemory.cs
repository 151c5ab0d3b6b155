using System.Globalization;
using System.Text.Json;

namespace AuditWatch.Detection.Windows;

/// <summary>
/// What a first_seen rule has seen, and since when it has been learning. With a file it survives restarts: one JSON
/// line for the start of learning, then one per tuple, appended as they are learned. Bounded by a capacity past which
/// new tuples are no longer remembered (and so keep counting as new).
/// </summary>
public sealed class FirstSeenMemory
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly TimeSpan _learn;
    private readonly int _capacity;
    private readonly string? _path;
    private readonly Action<Exception, bool>? _writeFailed;
    private DateTimeOffset? _learningStarted;
    private bool _failing;

    /// <param name="writeFailed">
    /// Called for every append that could not be written (disk full, read-only), with whether it is the first since the
    /// last one that succeeded: the tuple stays learned in memory, only a restart would forget it.
    /// </param>
    public FirstSeenMemory(TimeSpan learn, int capacity, string? path, Action<Exception, bool>? writeFailed = null)
    {
        _learn = learn;
        _capacity = capacity;
        _path = path;
        _writeFailed = writeFailed;
        if (path is not null && File.Exists(path))
        {
            Load(path);
        }
    }

    public int Count => _seen.Count;

    public bool Remembers(string tuple) => _seen.Contains(tuple);

    /// <summary>Learns the tuple; true when it is new and the learning period is over.</summary>
    public bool Observe(string tuple, DateTimeOffset time)
    {
        if (_learningStarted is null)
        {
            _learningStarted = time;
            Append(JsonSerializer.Serialize(new Dictionary<string, string> { ["learningStarted"] = time.ToString("O", CultureInfo.InvariantCulture) }));
        }

        if (_seen.Contains(tuple))
        {
            return false;
        }

        if (_seen.Count < _capacity)
        {
            _seen.Add(tuple);
            Append(JsonSerializer.Serialize(tuple));
        }

        return time >= _learningStarted.Value + _learn;
    }

    private void Load(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.String && _seen.Count < _capacity)
                {
                    _seen.Add(root.GetString()!);
                }
                else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("learningStarted", out var started) && started.TryGetDateTimeOffset(out var value))
                {
                    _learningStarted ??= value;
                }
            }
            catch (JsonException)
            {
                // A line cut off by a crash mid-write: the tuple is simply learned again.
            }
        }
    }

    private void Append(string line)
    {
        if (_path is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);

            // After a failed write the file may end in a cut-off line: start on a line of our own.
            File.AppendAllText(_path, (_failing ? "\n" : string.Empty) + line + "\n");
            _failing = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cut-off line is skipped when the file is read back (see Load).
            var first = !_failing;
            _failing = true;
            _writeFailed?.Invoke(ex, first);
        }
    }
}
