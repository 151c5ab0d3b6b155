namespace AuditWatch.Detection.Evidence;

/// <summary>Distinct values in first-seen order, keeping at most <c>capacity</c> of them but counting all up to a ceiling.</summary>
internal sealed class BoundedSet(int capacity, int countCeiling = 100_000)
{
    private readonly HashSet<string> _all = new(StringComparer.Ordinal);
    private readonly List<string> _kept = [];

    public int Count => _all.Count;

    public IReadOnlyList<string> Kept => _kept;

    public void Add(string? value)
    {
        if (string.IsNullOrEmpty(value) || _all.Count >= countCeiling || !_all.Add(value))
        {
            return;
        }

        if (_kept.Count < capacity)
        {
            _kept.Add(value);
        }
    }
}
