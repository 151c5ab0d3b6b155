using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace AuditWatch.Detection.Windows;

/// <summary>
/// What a first_seen rule has seen, and since when it has been learning. With a file it survives restarts: one JSON
/// line for the start of learning, then one per tuple, appended as they are learned. Bounded by a capacity past which
/// new tuples are no longer remembered (and so keep counting as new). Thread-safe.
/// </summary>
/// <remarks>
/// In memory a tuple is a seeded 128-bit fingerprint of its text, not the text: a million tuples (the default cap) of
/// user, address and user agent were 150–250 MB of strings, and are 30–60 MB of fingerprints. By chance two of a
/// million tuples share a fingerprint with odds of about 1 in 10^27. The seed is random per process; XXH3 is no MAC,
/// though, and what that leaves an attacker who chooses their tuple is weighed in docs/security.md.
/// </remarks>
public sealed class FirstSeenMemory
{
    private const string Separator = "\u001f";

    private static readonly long Seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

    // The lanes of a service share one memory per rule (FirstSeenMemories), each on a thread of its own.
    private readonly Lock _lock = new();
    private readonly HashSet<UInt128> _seen = [];
    private readonly XxHash128 _hash = new(Seed);
    private readonly TimeSpan _learn;
    private readonly int _capacity;
    private readonly string? _path;
    private readonly Action<Exception, bool>? _writeFailed;
    private readonly string? _key;
    private DateTimeOffset? _learningStarted;
    private bool _failing;

    /// <param name="writeFailed">
    /// Called for every append that could not be written (disk full, read-only), with whether it is the first since the
    /// last one that succeeded: the tuple stays learned in memory, only a restart would forget it.
    /// </param>
    /// <param name="key">
    /// What the tuples are made of (the rule's key fields), written with the start of learning. A file that says it
    /// learned another key is not read but kept aside as <c>.previous</c>, and learning starts again: tuples of other
    /// fields mean nothing here, and its learning period, long over, would make every tuple of the new key new.
    /// </param>
    public FirstSeenMemory(TimeSpan learn, int capacity, string? path, Action<Exception, bool>? writeFailed = null, string? key = null)
    {
        _learn = learn;
        _capacity = capacity;
        _path = path;
        _writeFailed = writeFailed;
        _key = key;
        if (path is not null && File.Exists(path) && !Load(path))
        {
            SetAside(path);
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>
    /// Learns the tuple of <paramref name="values"/> (a missing value counts as empty); true when it is new and the
    /// learning period is over. <paramref name="remembered"/> says whether the memory holds the tuple now (it does not
    /// when it is new and the memory is full).
    /// </summary>
    public bool Observe(ReadOnlySpan<string?> values, DateTimeOffset time, out bool remembered)
    {
        lock (_lock)
        {
            if (_learningStarted is null)
            {
                _learningStarted = time;
                if (_path is not null)
                {
                    var start = new Dictionary<string, string> { ["learningStarted"] = time.ToString("O", CultureInfo.InvariantCulture) };
                    if (_key is not null)
                    {
                        start["key"] = _key;
                    }

                    Append(_path, JsonSerializer.Serialize(start));
                }
            }

            var fingerprint = Fingerprint(values);
            if (_seen.Contains(fingerprint))
            {
                remembered = true;
                return false;
            }

            remembered = _seen.Count < _capacity;
            if (remembered)
            {
                _seen.Add(fingerprint);
                if (_path is not null)
                {
                    Append(_path, JsonSerializer.Serialize(string.Join(Separator, values)));
                }
            }

            return time >= _learningStarted.Value + _learn;
        }
    }

    // The fingerprint of the values joined by the separator, as a file line holds them, without joining them.
    private UInt128 Fingerprint(ReadOnlySpan<string?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                _hash.Append(MemoryMarshal.AsBytes(Separator.AsSpan()));
            }

            _hash.Append(MemoryMarshal.AsBytes(values[i].AsSpan()));
        }

        var fingerprint = _hash.GetCurrentHashAsUInt128();
        _hash.Reset();
        return fingerprint;
    }

    // False when the file learned another key (files written before keys were recorded say none, and are read).
    private bool Load(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.String && _seen.Count < _capacity)
                {
                    _seen.Add(Fingerprint([root.GetString()]));
                }
                else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("learningStarted", out var started) && started.TryGetDateTimeOffset(out var value))
                {
                    if (_learningStarted is null && _key is not null && root.TryGetProperty("key", out var learned)
                        && !(learned.ValueKind == JsonValueKind.String && learned.GetString() == _key))
                    {
                        _seen.Clear();
                        return false;
                    }

                    _learningStarted ??= value;
                }
            }
            catch (JsonException)
            {
                // A line cut off by a crash mid-write: the tuple is simply learned again.
            }
        }

        return true;
    }

    private void SetAside(string path)
    {
        try
        {
            File.Move(path, path + ".previous", overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Learning starts again in memory; the next start reads the old file again and sets it aside then.
            _writeFailed?.Invoke(ex, true);
        }
    }

    private void Append(string path, string line)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);

            // After a failed write the file may end in a cut-off line: start on a line of our own.
            File.AppendAllText(path, (_failing ? "\n" : string.Empty) + line + "\n");
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
