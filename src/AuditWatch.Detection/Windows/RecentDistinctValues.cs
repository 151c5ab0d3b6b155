using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Windows;

/// <summary>
/// The K most recently seen distinct values with the evidence of the latest request for each: "K distinct within W" holds exactly
/// when all K were seen within W, in event-time order, and memory is O(K) whatever the rate.
/// </summary>
internal sealed class RecentDistinctValues(int capacity)
{
    // Grown on demand: most identities read a few Secrets, far fewer than K.
    private string[] _values = new string[Math.Min(capacity, 2)];
    private EvidenceItem[] _latest = new EvidenceItem[Math.Min(capacity, 2)];
    private int _count;

    public int Capacity => capacity;

    public void Touch(string value, ApiRequest request)
    {
        var slot = Array.IndexOf(_values, value, 0, _count);
        if (slot < 0)
        {
            slot = _count < capacity ? _count++ : IndexOfOldest();
            if (slot == _values.Length)
            {
                Array.Resize(ref _values, Math.Min(capacity, _values.Length * 2));
                Array.Resize(ref _latest, _values.Length);
            }

            _values[slot] = value;
        }

        _latest[slot] = EvidenceItem.Of(request);
    }

    public int CountSince(DateTimeOffset from)
    {
        var count = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_latest[i].Time >= from)
            {
                count++;
            }
        }

        return count;
    }

    public IEnumerable<EvidenceItem> Since(DateTimeOffset from) =>
        _latest.Take(_count).Where(e => e.Time >= from).OrderBy(e => e.Time);

    private int IndexOfOldest()
    {
        var oldest = 0;
        for (var i = 1; i < _count; i++)
        {
            if (_latest[i].Time < _latest[oldest].Time)
            {
                oldest = i;
            }
        }

        return oldest;
    }
}
