namespace AuditWatch.Detection.Normalize;

/// <summary>
/// The requests <see cref="RequestCounter"/> remembers, with the stages seen of each, oldest arrival first. One array
/// is both the hash table's entries and the arrival ring: a request's key is stored once, and forgetting the oldest
/// needs no hash look-up, where a dictionary beside a queue held every key twice and hashed it again to remove it
/// (half of the counter's time at a million remembered requests).
/// </summary>
/// <remarks>
/// Each bucket is a chain threaded through the ring by index, newest first. Only the oldest request is ever removed,
/// and it is the last of its chain, so removal walks its chain by index alone, comparing no keys.
/// </remarks>
internal sealed class RememberedRequests
{
    private const int InitialSize = 1024;

    private Entry[] _ring = new Entry[InitialSize];

    // The ring index of each chain's newest entry, plus one (zero: the bucket is empty). As long as the ring.
    private int[] _buckets = new int[InitialSize];
    private int _oldest;

    public int Count { get; private set; }

    /// <summary>
    /// The stages seen of the request, to be updated by the caller at once (the reference is good until the next call).
    /// A request not yet remembered is added as the newest, with no stages.
    /// </summary>
    public ref StageSet FindOrAdd(in RequestKey key, long timeTicks, out bool found)
    {
        var hash = key.GetHashCode();
        for (var i = _buckets[hash & (_ring.Length - 1)] - 1; i >= 0; i = _ring[i].Next - 1)
        {
            ref var entry = ref _ring[i];
            if (entry.Hash == hash && entry.Key.Equals(key))
            {
                found = true;
                return ref entry.Stages;
            }
        }

        if (Count == _ring.Length)
        {
            Grow();
        }

        var mask = _ring.Length - 1;
        var index = (_oldest + Count) & mask;
        ref var bucket = ref _buckets[hash & mask];
        ref var added = ref _ring[index];
        added = new Entry(key, timeTicks, hash, bucket);
        bucket = index + 1;
        Count++;
        found = false;
        return ref added.Stages;
    }

    /// <summary>The time the oldest remembered request was given when it was added; false when none is remembered.</summary>
    public bool TryPeekOldest(out long timeTicks)
    {
        timeTicks = Count > 0 ? _ring[_oldest].TimeTicks : 0;
        return Count > 0;
    }

    /// <summary>Forgets the oldest remembered request; there must be one.</summary>
    public void RemoveOldest()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("no request is remembered");
        }

        ref var oldest = ref _ring[_oldest];
        ref var link = ref _buckets[oldest.Hash & (_ring.Length - 1)];
        while (link - 1 != _oldest)
        {
            link = ref _ring[link - 1].Next;
        }

        link = oldest.Next;
        oldest = default;
        _oldest = (_oldest + 1) & (_ring.Length - 1);
        Count--;
    }

    private void Grow()
    {
        var ring = new Entry[_ring.Length * 2];
        var buckets = new int[ring.Length];
        var mask = ring.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            // Oldest first, each put at the head of its chain: chains stay newest first.
            ref var entry = ref ring[i];
            entry = _ring[(_oldest + i) & (_ring.Length - 1)];
            ref var bucket = ref buckets[entry.Hash & mask];
            entry.Next = bucket;
            bucket = i + 1;
        }

        _ring = ring;
        _buckets = buckets;
        _oldest = 0;
    }

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
