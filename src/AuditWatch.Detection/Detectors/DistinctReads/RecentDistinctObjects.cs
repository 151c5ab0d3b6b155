using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Detectors.DistinctReads;

/// <summary>
/// The K most recently read distinct objects with their latest read: exact for "K distinct within W" when reads come
/// in event-time order, and O(K) memory whatever the read rate.
/// </summary>
internal sealed class RecentDistinctObjects(int capacity)
{
    private readonly List<(string Key, ApiRequest Last)> _entries = new(capacity);

    public void Touch(string key, ApiRequest request)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key == key)
            {
                _entries[i] = (key, request);
                return;
            }
        }

        if (_entries.Count == capacity)
        {
            _entries.RemoveAt(IndexOfOldest());
        }

        _entries.Add((key, request));
    }

    public int CountSince(DateTimeOffset from)
    {
        var count = 0;
        foreach (var entry in _entries)
        {
            if (entry.Last.Time >= from)
            {
                count++;
            }
        }

        return count;
    }

    public IEnumerable<ApiRequest> Since(DateTimeOffset from) =>
        _entries.Where(e => e.Last.Time >= from).Select(e => e.Last).OrderBy(r => r.Time);

    private int IndexOfOldest()
    {
        var oldest = 0;
        for (var i = 1; i < _entries.Count; i++)
        {
            if (_entries[i].Last.Time < _entries[oldest].Last.Time)
            {
                oldest = i;
            }
        }

        return oldest;
    }
}
