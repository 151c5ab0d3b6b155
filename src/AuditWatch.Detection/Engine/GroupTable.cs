using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Engine;

/// <summary>The detectors of one rule's groups, found by group key: an open-addressing table of the detectors themselves.</summary>
/// <remarks>
/// A detector holds its group's key, so a slot needs only the detector and the key's hash, where a dictionary entry
/// kept the key a second time beside a chain link. A look-up compares hashes in their own array and reads a detector
/// only when its hash matches. Slots are freed by moving later ones back (linear probing), leaving no tombstones; the
/// table is doubled when three quarters of its slots are used and halved when fewer than an eighth are. The hash is
/// the string's own, randomized per process: group keys are user names that a client chooses.
/// </remarks>
internal sealed class GroupTable
{
    private const int InitialSlots = 16;

    // A key's hash with the top bit set, so that a used slot is never 0; its home slot is its low bits.
    private int[] _hashes = new int[InitialSlots];
    private GroupDetector?[] _detectors = new GroupDetector?[InitialSlots];

    public int Count { get; private set; }

    /// <summary>The table's size in slots (for tests of what it holds).</summary>
    internal int Slots => _hashes.Length;

    public GroupDetector? Find(string groupKey)
    {
        var stored = Stored(groupKey);
        var mask = _hashes.Length - 1;
        for (var slot = stored & mask; _hashes[slot] != 0; slot = (slot + 1) & mask)
        {
            if (_hashes[slot] == stored && string.Equals(_detectors[slot]!.GroupKey, groupKey, StringComparison.Ordinal))
            {
                return _detectors[slot];
            }
        }

        return null;
    }

    /// <summary>Adds a detector whose group key is not in the table.</summary>
    public void Add(GroupDetector detector)
    {
        if (Count + 1 > _hashes.Length / 4 * 3)
        {
            Resize(_hashes.Length * 2);
        }

        Place(_hashes, _detectors, Stored(detector.GroupKey), detector);
        Count++;
    }

    /// <summary>Removes a detector that is in the table.</summary>
    public void Remove(GroupDetector detector)
    {
        var mask = _hashes.Length - 1;
        var free = Stored(detector.GroupKey) & mask;
        while (!ReferenceEquals(_detectors[free], detector))
        {
            if (_hashes[free] == 0)
            {
                throw new InvalidOperationException($"the group '{detector.GroupKey}' is not in the table");
            }

            free = (free + 1) & mask;
        }

        for (var next = (free + 1) & mask; _hashes[next] != 0; next = (next + 1) & mask)
        {
            if (!LinearProbing.StaysPut(free, next, home: _hashes[next] & mask))
            {
                _hashes[free] = _hashes[next];
                _detectors[free] = _detectors[next];
                free = next;
            }
        }

        _hashes[free] = 0;
        _detectors[free] = null;
        Count--;
        if (_hashes.Length > InitialSlots && Count < _hashes.Length / 8)
        {
            Resize(_hashes.Length / 2);
        }
    }

    private static int Stored(string groupKey) => groupKey.GetHashCode(StringComparison.Ordinal) | int.MinValue;

    private static void Place(int[] hashes, GroupDetector?[] detectors, int stored, GroupDetector detector)
    {
        var mask = hashes.Length - 1;
        var slot = stored & mask;
        while (hashes[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        hashes[slot] = stored;
        detectors[slot] = detector;
    }

    private void Resize(int length)
    {
        var hashes = new int[length];
        var detectors = new GroupDetector?[length];
        for (var slot = 0; slot < _hashes.Length; slot++)
        {
            if (_hashes[slot] != 0)
            {
                Place(hashes, detectors, _hashes[slot], _detectors[slot]!);
            }
        }

        _hashes = hashes;
        _detectors = detectors;
    }
}
