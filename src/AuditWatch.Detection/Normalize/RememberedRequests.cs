using System.Numerics;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// The requests <see cref="RequestCounter"/> remembers, with the stages seen of each, oldest arrival first. One ring is
/// both the hash table's entries and the arrival order: a request's key is stored once, and forgetting the oldest
/// needs no hash look-up, where a dictionary beside a queue held every key twice and hashed it again to remove it
/// (half of the counter's time at a million remembered requests).
/// </summary>
/// <remarks>
/// Each bucket is a chain threaded through the ring by index, newest first. Only the oldest request is ever removed,
/// and it is the last of its chain, so removal walks its chain by index alone, comparing no keys.
/// The ring's index space is sized for the capacity at the start and never grows: its entries live in segments taken
/// as the ring fills and given back as it empties, so no entry is ever copied. Only the buckets (4 bytes a request)
/// double as the count grows, rechained in one pass. Doubling the whole table of half a million requests (entries
/// copied into a new 84 MB array) held detection up for 0.2–0.5 s while the memory first filled at 68,000/s.
/// </remarks>
internal sealed class RememberedRequests
{
    private const int MaxSegmentBits = 14;
    private const int InitialBuckets = 1024;

    private readonly Entry[]?[] _segments;
    private readonly int _segmentBits;
    private readonly int _segmentMask;
    private readonly int _mask;

    // The ring index of each chain's newest entry, plus one (zero: the bucket is empty). At least as many as requests.
    private int[] _buckets;

    // A segment given back, kept for the next one needed: a ring going round at its capacity allocates nothing.
    private Entry[]? _spare;
    private int _oldest;

    /// <param name="capacity">The most requests remembered at once.</param>
    public RememberedRequests(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, RequestCounterOptions.MaxCapacity);
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity + 1);
        _segmentBits = Math.Min(MaxSegmentBits, BitOperations.Log2((uint)size));
        _segmentMask = (1 << _segmentBits) - 1;
        _mask = size - 1;
        _segments = new Entry[]?[size >> _segmentBits];
        _buckets = new int[Math.Min(size, InitialBuckets)];
    }

    public int Count { get; private set; }

    /// <summary>
    /// The stages seen of the request, to be updated by the caller at once (the reference is good until the next call).
    /// A request not yet remembered is added as the newest, with no stages.
    /// </summary>
    public ref StageSet FindOrAdd(in RequestKey key, long timeTicks, out bool found)
    {
        if (Count == _buckets.Length && _buckets.Length <= _mask)
        {
            GrowBuckets();
        }

        var hash = key.GetHashCode();
        ref var bucket = ref _buckets[hash & (_buckets.Length - 1)];
        for (var i = bucket - 1; i >= 0;)
        {
            ref var entry = ref At(i);
            if (entry.Hash == hash && entry.Key.Equals(key))
            {
                found = true;
                return ref entry.Stages;
            }

            i = entry.Next - 1;
        }

        if (Count > _mask)
        {
            throw new InvalidOperationException($"more than {_mask + 1} requests remembered: forget the oldest first");
        }

        var index = (_oldest + Count) & _mask;
        ref var segment = ref _segments[index >> _segmentBits];
        if (segment is null)
        {
            segment = _spare ?? new Entry[_segmentMask + 1];
            _spare = null;
        }

        ref var added = ref segment[index & _segmentMask];
        added = new Entry(key, timeTicks, hash, bucket);
        bucket = index + 1;
        Count++;
        found = false;
        return ref added.Stages;
    }

    /// <summary>The time the oldest remembered request was given when it was added; false when none is remembered.</summary>
    public bool TryPeekOldest(out long timeTicks)
    {
        timeTicks = Count > 0 ? At(_oldest).TimeTicks : 0;
        return Count > 0;
    }

    /// <summary>Forgets the oldest remembered request; there must be one.</summary>
    public void RemoveOldest()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("no request is remembered");
        }

        ref var oldest = ref At(_oldest);
        ref var link = ref _buckets[oldest.Hash & (_buckets.Length - 1)];
        while (link - 1 != _oldest)
        {
            link = ref At(link - 1).Next;
        }

        link = oldest.Next;
        oldest = default;
        var left = _oldest >> _segmentBits;
        _oldest = (_oldest + 1) & _mask;
        Count--;
        if ((_oldest & _segmentMask) == 0 && (Count == 0 || ((_oldest + Count - 1) & _mask) >> _segmentBits != left))
        {
            // Every entry of the segment just left was forgotten (and cleared), and the newest is not in it.
            _spare ??= _segments[left];
            _segments[left] = null;
        }
    }

    private void GrowBuckets()
    {
        var buckets = new int[_buckets.Length * 2];
        var mask = buckets.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            // Oldest first, each put at the head of its chain: chains stay newest first.
            var index = (_oldest + i) & _mask;
            ref var entry = ref At(index);
            ref var bucket = ref buckets[entry.Hash & mask];
            entry.Next = bucket;
            bucket = index + 1;
        }

        _buckets = buckets;
    }

    private ref Entry At(int index) => ref _segments[index >> _segmentBits]![index & _segmentMask];

    private struct Entry(RequestKey key, long timeTicks, int hash, int next)
    {
        public readonly RequestKey Key = key;
        public readonly long TimeTicks = timeTicks;
        public readonly int Hash = hash;

        /// <summary>The ring index of the next older entry of the same chain, plus one (zero: none).</summary>
        public int Next = next;

        public StageSet Stages;
    }
}
