using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Windows;

/// <summary>
/// The K most recently seen distinct values with the evidence of the latest request for each: "K distinct within W" holds exactly
/// when all K were seen within W, in event-time order, and memory is O(K) whatever the rate.
/// </summary>
internal sealed class RecentDistinctValues(int capacity)
{
    private readonly List<(string Value, EvidenceItem Last)> _entries = new(capacity);

    public int Capacity => capacity;

    public void Touch(string value, ApiRequest request)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Value == value)
            {
                _entries[i] = (value, EvidenceItem.Of(request));
                return;
            }
        }

        if (_entries.Count == capacity)
        {
            _entries.RemoveAt(IndexOfOldest());
        }

        _entries.Add((value, EvidenceItem.Of(request)));
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

    public IEnumerable<EvidenceItem> Since(DateTimeOffset from) =>
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
