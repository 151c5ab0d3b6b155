using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Windows;

/// <summary>
/// The most recently seen distinct values, at most K, with the evidence of the latest request for each: "K distinct
/// within W" holds exactly when all K were seen within W, in event-time order, and memory is O(K) whatever the rate.
/// A value last seen before the window can never count again (requests come in event-time order), so a new value
/// takes its place rather than a new one: an identity reading now and then holds what its window holds, not K.
/// </summary>
/// <remarks>
/// A mutable struct, kept inline in its detector (a field, never copied): one per tracked identity, and an object of
/// its own would be a header and a reference more for each of them.
/// </remarks>
internal struct RecentDistinctValues<TEntry>(int capacity)
    where TEntry : struct, IDistinctEntry<TEntry>
{
    // Grown on demand: most identities read a few Secrets, far fewer than K, and many have one within the window.
    private TEntry[] _entries = new TEntry[1];
    private int _count;
    private int _latest;

    public readonly int Capacity => capacity;

    /// <summary>Values held now, in the window or not yet overwritten.</summary>
    public readonly int Held => _count;

    /// <summary>Takes <paramref name="request"/> as the latest of <paramref name="value"/>; the window now starts at <paramref name="windowStart"/>.</summary>
    public void Touch(string value, ApiRequest request, DateTimeOffset windowStart, EvidenceContexts contexts)
    {
        var slot = IndexOf(value);
        if (slot < 0)
        {
            slot = SlotForNewValue(windowStart.UtcTicks);
        }

        var evidence = EvidenceItem.Of(request, contexts.For(request, _entries[_latest].Latest.Context));
        _entries[slot] = TEntry.Of(value, evidence);
        _latest = slot;
    }

    public readonly int CountSince(DateTimeOffset from)
    {
        var count = 0;
        var fromTicks = from.UtcTicks;
        for (var i = 0; i < _count; i++)
        {
            if (_entries[i].Latest.UtcTicks >= fromTicks)
            {
                count++;
            }
        }

        return count;
    }

    public readonly IEnumerable<EvidenceItem> Since(DateTimeOffset from) =>
        _entries.Take(_count).Select(e => e.Latest).Where(e => e.Time >= from).OrderBy(e => e.Time);

    // By reference first: the normalizer shares each Secret's object key, so a value seen before is nearly always the
    // same instance, and comparing characters is left for the rest.
    private readonly int IndexOf(string value)
    {
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_entries[i].Value, value))
            {
                return i;
            }
        }

        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_entries[i].Value, value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // The oldest value's slot when it is outside the window or all K are taken, otherwise a new one.
    private int SlotForNewValue(long windowStartTicks)
    {
        if (_count > 0)
        {
            var oldest = IndexOfOldest();
            if (_count == capacity || _entries[oldest].Latest.UtcTicks < windowStartTicks)
            {
                return oldest;
            }
        }

        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Min(capacity, _entries.Length * 2));
        }

        return _count++;
    }

    private readonly int IndexOfOldest()
    {
        var oldest = 0;
        for (var i = 1; i < _count; i++)
        {
            if (_entries[i].Latest.UtcTicks < _entries[oldest].Latest.UtcTicks)
            {
                oldest = i;
            }
        }

        return oldest;
    }
}
