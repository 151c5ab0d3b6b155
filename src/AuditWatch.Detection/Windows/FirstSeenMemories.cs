using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Windows;

/// <summary>
/// The first_seen memories of the pipelines made with one <see cref="Pipeline.DetectionOptions"/> (and its copies): the
/// service's lanes, one per Kafka partition and one for its webhook and files, run the same rules, and share one memory
/// per rule (its id and definition) instead of each learning on its own.
/// </summary>
/// <remarks>
/// A tuple that is not keyed like the partitions (an address, a user agent, or a user whose events a log shipper spread
/// over partitions) was new once per lane: the same first_seen alert up to once per partition, each lane with its own
/// learning period, its own copy of the learned file in memory (up to 30–60 MB each at the default cap), and every lane
/// appending the same tuple to the same file. A memory is made when the first pipeline running the rule starts and
/// dropped when the last one ends, so a rule removed and later added again learns afresh, as before.
/// </remarks>
public sealed class FirstSeenMemories
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (FirstSeenMemory Memory, int Users)> _byRule = new(StringComparer.Ordinal);

    /// <summary>The memory of <paramref name="rule"/>, made by <paramref name="create"/> when no running pipeline has it; give it back with <see cref="Release"/>.</summary>
    internal FirstSeenMemory Acquire(Rule rule, Func<FirstSeenMemory> create)
    {
        lock (_lock)
        {
            var key = KeyOf(rule);
            var memory = _byRule.TryGetValue(key, out var held) ? held.Memory : create();
            _byRule[key] = (memory, held.Users + 1);
            return memory;
        }
    }

    /// <summary>A pipeline running <paramref name="rule"/> ended; the memory goes with the last one.</summary>
    internal void Release(Rule rule)
    {
        lock (_lock)
        {
            var key = KeyOf(rule);
            if (_byRule.TryGetValue(key, out var held))
            {
                if (held.Users == 1)
                {
                    _byRule.Remove(key);
                }
                else
                {
                    _byRule[key] = (held.Memory, held.Users - 1);
                }
            }
        }
    }

    /// <summary>Memories held now (for tests).</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _byRule.Count;
            }
        }
    }

    private static string KeyOf(Rule rule) => rule.Id + "\n" + rule.Definition;
}
