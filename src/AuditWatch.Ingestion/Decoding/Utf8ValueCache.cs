using System.IO.Hashing;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// A bounded, lock-free cache of values decoded from UTF-8 bytes that audit events repeat (verbs, usernames, groups,
/// user agents, namespaces, whole user objects): one allocation per distinct value instead of one per event.
/// Direct-mapped: a colliding value replaces the slot, so memory stays bounded whatever the input, and a miss costs
/// only the decode it would have cost anyway plus one small entry. Entries are immutable, so sharing one cache
/// between threads needs no lock.
/// </summary>
internal sealed class Utf8ValueCache<T>(int slots, int maxKeyBytes)
    where T : class
{
    private readonly Entry?[] _slots = new Entry?[slots];
    private readonly int _mask = SlotMask.For(slots);

    // Seeded per process, so that which values share a slot cannot be known in advance from outside.
    private readonly long _seed = Random.Shared.NextInt64();

    public T Get(ReadOnlySpan<byte> key, Func<ReadOnlySpan<byte>, T> decode)
    {
        if (key.Length > maxKeyBytes)
        {
            return decode(key);
        }

        var index = (int)XxHash3.HashToUInt64(key, _seed) & _mask;
        if (_slots[index] is { } entry && key.SequenceEqual(entry.Key))
        {
            return entry.Value;
        }

        var value = decode(key);
        _slots[index] = new Entry(key.ToArray(), value);
        return value;
    }

    private sealed class Entry(byte[] key, T value)
    {
        public byte[] Key { get; } = key;

        public T Value { get; } = value;
    }
}
