namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>
/// A file whose parsed content is re-read when it changes (Kubernetes rotates mounted Secrets by swapping a symlink),
/// checked at most once a second. A file that cannot be read or parsed keeps the last good value.
/// </summary>
public sealed class ReloadingFile<T>(string path, Func<string, T> parse, TimeProvider time)
    where T : class
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private T? _value;
    private (DateTime Modified, long Length, string Target) _version;
    private DateTimeOffset _nextCheck = DateTimeOffset.MinValue;

    public string Path => path;

    /// <summary>The current content; throws on first use if the file cannot be loaded at all.</summary>
    public T Value
    {
        get
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                if (_value is null || now >= _nextCheck)
                {
                    _nextCheck = now + CheckEvery;
                    Refresh();
                }

                return _value ?? throw new InvalidOperationException($"{path} could not be read");
            }
        }
    }

    private void Refresh()
    {
        try
        {
            var info = new FileInfo(path);
            var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
            var resolved = new FileInfo(target);
            var version = (resolved.LastWriteTimeUtc, resolved.Length, target);
            if (_value is not null && version == _version)
            {
                return;
            }

            _value = parse(path);
            _version = version;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or FormatException)
        {
            if (_value is null)
            {
                throw new InvalidOperationException($"{path} could not be read: {ex.Message}", ex);
            }
        }
    }
}
