using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Windows;

/// <summary>
/// The K most recently seen distinct values with the latest request for each: "K distinct within W" holds exactly
/// when all K were seen within W, in event-time order, and memory is O(K) whatever the rate.
/// </summary>
internal sealed class RecentDistinctValues(int capacity)
{
    private readonly List<(string Value, ApiRequest Last)> _entries = new(capacity);

    public int Capacity => capacity;

    public void Touch(string value, ApiRequest request)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Value == value)
            {
                _entries[i] = (value, request);
                return;
            }
        }

        if (_entries.Count == capacity)
        {
            _entries.RemoveAt(IndexOfOldest());
        }

        _entries.Add((value, request));
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
