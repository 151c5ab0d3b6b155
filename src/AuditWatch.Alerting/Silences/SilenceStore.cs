using System.Security.Cryptography;
using System.Text.Json;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Silences;

/// <summary>
/// Silences from configuration (fixed) and from <c>AuditWatch silence add</c> (kept in <c>silences.json</c> in the data
/// directory so they survive restarts; a running service notices changes to that file within a second).
/// </summary>
public sealed class SilenceStore
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<(Silence Silence, IReadOnlyList<Matcher> Matchers)> _configured;
    private readonly Lock _gate = new();
    private IReadOnlyList<(Silence Silence, IReadOnlyList<Matcher> Matchers)> _stored = [];
    private DateTime _storedVersion;
    private DateTimeOffset _nextCheck;

    public SilenceStore(string dataDirectory, IEnumerable<Silence> configured, TimeProvider time, List<string> errors)
    {
        _path = Path.Combine(dataDirectory, "silences.json");
        _time = time;
        _configured = [.. configured.Select(s => (s, Parse(s, errors)))];
    }

    public string FilePath => _path;

    /// <summary>The active silence that mutes the alert, if any.</summary>
    public Silence? Muting(Alert alert)
    {
        var now = _time.GetUtcNow();
        foreach (var (silence, matchers) in _configured.Concat(Stored(now)))
        {
            if (silence.IsActive(now) && silence.Matches(alert, matchers))
            {
                return silence;
            }
        }

        return null;
    }

    public IReadOnlyList<Silence> List() => [.. _configured.Select(s => s.Silence), .. ReadFile()];

    public Silence Add(IReadOnlyList<string> matchers, TimeSpan duration, string comment, string createdBy)
    {
        var errors = new List<string>();
        var parsed = matchers.Select(m => Matcher.Parse(m, errors)).ToList();
        if (errors.Count > 0 || parsed.Count == 0)
        {
            throw new ArgumentException(errors.Count > 0 ? string.Join("; ", errors) : "a silence needs at least one matcher");
        }

        var now = _time.GetUtcNow();
        var silence = new Silence(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)), matchers, now, now + duration, comment, createdBy);
        Write([.. ReadFile(), silence]);
        return silence;
    }

    /// <summary>Ends a stored silence now; false when there is no such id.</summary>
    public bool Expire(string id)
    {
        var silences = ReadFile();
        var found = silences.FirstOrDefault(s => s.Id == id);
        if (found is null)
        {
            return false;
        }

        Write([.. silences.Where(s => s.Id != id), found with { EndsAt = _time.GetUtcNow() }]);
        return true;
    }

    private IReadOnlyList<(Silence, IReadOnlyList<Matcher>)> Stored(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now >= _nextCheck)
            {
                _nextCheck = now + CheckEvery;
                var version = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : DateTime.MinValue;
                if (version != _storedVersion)
                {
                    _storedVersion = version;
                    _stored = [.. ReadFile().Select(s => (s, Parse(s, [])))];
                }
            }

            return _stored;
        }
    }

    private List<Silence> ReadFile()
    {
        try
        {
            return File.Exists(_path) ? JsonSerializer.Deserialize<List<Silence>>(File.ReadAllText(_path)) ?? [] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private void Write(List<Silence> silences)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(silences, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, _path, overwrite: true);
    }

    private static IReadOnlyList<Matcher> Parse(Silence silence, List<string> errors) =>
        [.. silence.Matchers.Select(m => Matcher.Parse(m, errors)).OfType<Matcher>()];
}
