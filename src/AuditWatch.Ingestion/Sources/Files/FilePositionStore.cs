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

    public void Save(string file, FilePosition position)
    {
        lock (_gate)
        {
            _positions[Path.GetFullPath(file)] = position;
            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_positions));
            File.Move(temporary, _path, overwrite: true);
        }
    }
}
