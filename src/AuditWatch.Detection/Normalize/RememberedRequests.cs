using System.Numerics;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// The requests <see cref="RequestCounter"/> remembers, with the stages seen of each, oldest arrival first. A ring holds
/// the requests in arrival order, so forgetting the oldest needs no search; an open-addressing table finds them by key.
/// </summary>
/// <remarks>
/// Each slot of the table is 8 bytes: a request's 32-bit hash and its place in the ring. A look-up reads a request only
/// when its hash matches, and forgetting the oldest finds its slot by its hash, so neither reads other requests: at a
/// million remembered requests the ring is far larger than the processor's caches while the table fits, and chains
/// threaded through the ring (the earlier design) cost a cache miss for every request they passed, a tenth of the
/// service's time under fresh load. Slots are freed by moving later ones back (linear probing), leaving no tombstones.
/// The ring's index space is sized for the capacity at the start and never grows: its entries live in segments taken
/// as the ring fills and given back as it empties, so no entry is ever copied. Only the table follows the count,
/// rebuilt from its own slots without reading the ring: doubled when half its slots are used, halved when fewer than
/// an eighth are, so that a burst's table (16 MB at a million requests) is given back once the burst is forgotten.
/// Doubling the whole table of half a million requests (entries copied into a new 84 MB array) held detection up for
/// 0.2–0.5 s while the memory first filled at 68,000/s.
/// </remarks>
internal sealed class RememberedRequests
{
    private const int MaxSegmentBits = 14;
    private const int InitialSlots = 2048;

    private readonly Entry[]?[] _segments;
    private readonly int _segmentBits;
    private readonly int _segmentMask;
    private readonly int _mask;

    // Each slot: the request's hash in the high half, its ring index plus one in the low half (zero: the slot is free).
    // At most half are used, so a probe meets a free slot soon.
    private ulong[] _slots = new ulong[InitialSlots];

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
    }

    public int Count { get; private set; }

    /// <summary>The table's size in slots (8 bytes each).</summary>
    internal int TableSlots => _slots.Length;

    /// <summary>
    /// The stages seen of the request, to be updated by the caller at once (the reference is good until the next call).
    /// A request not yet remembered is added as the newest, with no stages.
    /// </summary>
    public ref StageSet FindOrAdd(in RequestKey key, long timeTicks, out bool found)
    {
        if (Count >= _slots.Length / 2)
        {
            ResizeSlots(_slots.Length * 2);
        }

        var hash = (uint)key.GetHashCode();
        var mask = _slots.Length - 1;
        var slot = (int)hash & mask;
        for (var used = _slots[slot]; used != 0; used = _slots[slot])
        {
            if ((uint)(used >> 32) == hash)
            {
                ref var entry = ref At((int)(uint)used - 1);
                if (entry.Key.Equals(key))
                {
                    found = true;
                    return ref entry.Stages;
                }
            }

            slot = (slot + 1) & mask;
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
        added = new Entry(key, timeTicks, hash);
        _slots[slot] = Slot(hash, index);
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
        FreeSlot(Slot(oldest.Hash, _oldest));
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

        if (_slots.Length > InitialSlots && Count < _slots.Length / 8)
        {
            ResizeSlots(_slots.Length / 2);
        }
    }

    private static ulong Slot(uint hash, int index) => ((ulong)hash << 32) | (uint)(index + 1);

    private void FreeSlot(ulong value)
    {
        var mask = _slots.Length - 1;
        var free = (int)(uint)(value >> 32) & mask;
        while (_slots[free] != value)
        {
            free = (free + 1) & mask;
        }

        for (var next = (free + 1) & mask; _slots[next] != 0; next = (next + 1) & mask)
        {
            if (!LinearProbing.StaysPut(free, next, home: (int)(uint)(_slots[next] >> 32) & mask))
            {
                _slots[free] = _slots[next];
                free = next;
            }
        }

        _slots[free] = 0;
    }

    private void ResizeSlots(int length)
    {
        var slots = new ulong[length];
        var mask = slots.Length - 1;
        foreach (var used in _slots)
        {
            if (used != 0)
            {
                var slot = (int)(uint)(used >> 32) & mask;
                while (slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                slots[slot] = used;
            }
        }

        _slots = slots;
    }

    private ref Entry At(int index) => ref _segments[index >> _segmentBits]![index & _segmentMask];

    private struct Entry(RequestKey key, long timeTicks, uint hash)
    {
        public readonly RequestKey Key = key;
        public readonly long TimeTicks = timeTicks;
        public readonly uint Hash = hash;

        public StageSet Stages;
    }
}
