using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Replay;

/// <summary>Counts skipped items by reason and names the first few exactly (file:line and why) on stderr.</summary>
internal sealed class SkippedItems(TextWriter stderr, int maxShown)
{
    private readonly Dictionary<DecodeErrorKind, long> _byKind = [];
    private int _shown;

    public long Total { get; private set; }

    public IReadOnlyDictionary<DecodeErrorKind, long> ByKind => _byKind;

    public void Record(DecodeError error)
    {
        Total++;
        _byKind[error.Kind] = _byKind.GetValueOrDefault(error.Kind) + 1;
        if (_shown < maxShown)
        {
            _shown++;
            stderr.WriteLine($"skipped {error}");
        }
        else if (_shown == maxShown)
        {
            _shown++;
            stderr.WriteLine($"(further skipped items are counted in the summary only)");
        }
    }
}
