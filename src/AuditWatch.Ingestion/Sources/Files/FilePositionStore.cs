using System.Text.Json;

namespace AuditWatch.Ingestion.Sources.Files;

/// <summary>
/// Read positions of tailed files, saved (write to a temporary file, then rename) each time detection has taken a batch,
/// so that a restart resumes exactly after the last event detection saw.
/// </summary>
public sealed class FilePositionStore
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FilePosition> _positions;

    public FilePositionStore(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "file-positions.json");
        _positions = File.Exists(_path)
            ? JsonSerializer.Deserialize<Dictionary<string, FilePosition>>(File.ReadAllText(_path)) ?? []
            : [];
    }

    public FilePosition? Get(string file)
    {
        lock (_gate)
        {
            return _positions.GetValueOrDefault(Path.GetFullPath(file));
        }
    }

    /// <summary>
    /// Records the position and writes the file; returns the error when the file could not be written (disk full,
    /// read-only). The position is kept in memory and written with the next save; until then a restart reads the
    /// events since the last saved position again (at least once).
    /// </summary>
    public string? Save(string file, FilePosition position)
    {
        lock (_gate)
        {
            _positions[Path.GetFullPath(file)] = position;
            var temporary = _path + ".tmp";
            try
            {
                File.WriteAllText(temporary, JsonSerializer.Serialize(_positions));
                File.Move(temporary, _path, overwrite: true);
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(temporary);
                return ex.Message;
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
