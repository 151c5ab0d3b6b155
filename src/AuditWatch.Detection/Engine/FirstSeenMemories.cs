using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Windows;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// The first_seen memories of the pipelines made with one <see cref="DetectionOptions"/> (and its copies): the
/// service's lanes, one per Kafka partition and one for its webhook and files, run the same rules, and share one memory
/// per rule (its id and definition) instead of each learning on its own.
/// </summary>
/// <remarks>
/// A tuple that is not keyed like the partitions (an address, a user agent, or a user whose events a log shipper spread
/// over partitions) was new once per lane: the same first_seen alert up to once per partition, each lane with its own
/// learning period and its own copy of the learned file in memory, and every lane appending the same tuple to the file.
/// A memory is made when the first pipeline running the rule starts and dropped when the last one ends: a rule removed
/// and added again starts over from its file in the data directory (from nothing without one). The file is read outside
/// the registry's lock, so that a lane loading a large one holds up no other lane starting or ending a rule.
/// </remarks>
public sealed class FirstSeenMemories
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (Lazy<FirstSeenMemory> Memory, int Users)> _byRule = new(StringComparer.Ordinal);

    /// <summary>The memory of <paramref name="rule"/>, made by <paramref name="create"/> when no running pipeline has it; give it back with <see cref="Release"/>.</summary>
    internal FirstSeenMemory Acquire(Rule rule, Func<FirstSeenMemory> create)
    {
        Lazy<FirstSeenMemory> memory;
        lock (_lock)
        {
            var key = RuleChange.KeyOf(rule);
            memory = _byRule.TryGetValue(key, out var held) ? held.Memory : new Lazy<FirstSeenMemory>(create, LazyThreadSafetyMode.ExecutionAndPublication);
            _byRule[key] = (memory, held.Users + 1);
        }

        try
        {
            return memory.Value;
        }
        catch
        {
            // Not made (the file could not be read): the next pipeline to run the rule tries again.
            Release(rule);
            throw;
        }
    }

    /// <summary>A pipeline running <paramref name="rule"/> ended; the memory goes with the last one.</summary>
    internal void Release(Rule rule)
    {
        lock (_lock)
        {
            var key = RuleChange.KeyOf(rule);
            if (!_byRule.TryGetValue(key, out var held))
            {
                throw new InvalidOperationException($"the first_seen memory of rule '{rule.Id}' was given back more often than it was taken");
            }

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
}
