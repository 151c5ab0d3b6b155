using AuditWatch.Detection.Detectors;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Windows;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

/// <summary>Creates the per-group state of one rule, with what its groups share (<see cref="SharedByGroups"/>).</summary>
internal sealed class DetectorFactory : IDisposable
{
    private readonly SharedByGroups _shared;

    // Where a first_seen rule's memory came from, to be given back when the rule stops running.
    private FirstSeenMemories? _firstSeenMemories;

    public DetectorFactory(Rule rule, DetectionOptions options, PipelineCounters counters)
    {
        FirstSeenMemory? firstSeen = null;
        if (rule.Kind == RuleKind.FirstSeen)
        {
            _firstSeenMemories = options.FirstSeenMemories;
            firstSeen = _firstSeenMemories.Acquire(rule, () =>
            {
                var path = options.DataDirectory is { } directory ? Path.Combine(directory, "first-seen", rule.Id + ".jsonl") : null;
                return new FirstSeenMemory(
                    rule.Learn,
                    options.MaxFirstSeenTuples,
                    path,
                    (error, first) =>
                    {
                        counters.RecordStateWriteFailure();
                        if (first)
                        {
                            options.StateWriteFailed?.Invoke(path!, error);
                        }
                    },
                    string.Join(",", rule.Key.Select(field => field.Name)));
            });
        }

        _shared = new SharedByGroups(rule, options.Replay, firstSeen);
    }

    private Rule Rule => _shared.Rule;

    /// <summary>How long a group may stay quiet before it is forgotten: longer than anything its state still needs.</summary>
    public TimeSpan GroupLifetime => Rule.Kind switch
    {
        RuleKind.Match or RuleKind.FirstSeen => Rule.Suppress + TimeSpan.FromSeconds(1),
        RuleKind.Spike => Rule.Baseline + Rule.Window,
        _ => Rule.Window + TimeSpan.FromMinutes(1),
    };

    /// <summary>
    /// Whether the input may start a group that does not exist yet: a later step of an ordered sequence finds no chain
    /// to extend in a new group, so opening one would only take memory (and could push out a group that matters).
    /// </summary>
    public bool Opens(RuleInput input) => StepOpens(Rule, input.Step);

    /// <summary>Whether an input of that step (0 for rules that are not sequences) may start a group (<see cref="Opens"/>).</summary>
    public static bool StepOpens(Rule rule, int step) => rule.Kind != RuleKind.Sequence || !rule.OrderedSteps || step == 0;

    /// <summary>The rule stopped running here: its first_seen memory is given back (once).</summary>
    public void Dispose()
    {
        _firstSeenMemories?.Release(Rule);
        _firstSeenMemories = null;
    }

    public GroupDetector Create(string groupKey) => Rule.Kind switch
    {
        RuleKind.Match => new MatchDetector(_shared, groupKey),
        RuleKind.Threshold => new ThresholdDetector(_shared, groupKey),
        RuleKind.Distinct when Rule.CountDistinct!.Name == FieldCatalog.SecretObject => new DistinctDetector<ObjectEntry>(_shared, groupKey),
        RuleKind.Distinct => new DistinctDetector<ValueEntry>(_shared, groupKey),
        RuleKind.FirstSeen => new FirstSeenDetector(_shared, groupKey),
        RuleKind.Sequence when Rule.OrderedSteps => new SequenceDetector(_shared, groupKey),
        RuleKind.Sequence => new TemporalDetector(_shared, groupKey),
        _ => new SpikeDetector(_shared, groupKey),
    };
}
