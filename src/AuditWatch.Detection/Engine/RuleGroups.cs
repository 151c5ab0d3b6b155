using AuditWatch.Core.Alerts;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// The groups (identities, join keys) of one rule, each with its detector, in order of last activity. A group is
/// forgotten when it has been quiet for the rule's group lifetime on the event clock, or when opening a new group
/// passes the cap (the stalest goes, counted as an eviction); forgetting a group resolves its open incident.
/// </summary>
/// <remarks>
/// Every group of a rule lives equally long after its last request, so the least recently active group is always the
/// next to expire: one timer per rule suffices, where a timer per group would cost a reschedule per request.
/// </remarks>
internal sealed class RuleGroups(DetectorFactory factory, int capacity, Action onEviction)
{
    private readonly Dictionary<string, LinkedListNode<Group>> _groups = new(StringComparer.Ordinal);
    private readonly LinkedList<Group> _byActivity = new();

    public int Count => _groups.Count;

    /// <summary>When the stalest group expires, or null when there is none.</summary>
    public DateTimeOffset? NextExpiry => _byActivity.First?.Value.ExpiresAt;

    public void Observe(RuleInput input, DateTimeOffset now, List<Alert> output)
    {
        if (_groups.TryGetValue(input.GroupKey, out var node))
        {
            _byActivity.Remove(node);
        }
        else if (!factory.Opens(input))
        {
            return;
        }
        else
        {
            node = new LinkedListNode<Group>(new Group(input.GroupKey, factory.Create(input.GroupKey)));
            _groups[input.GroupKey] = node;
            while (_groups.Count > capacity && _byActivity.First is { } stalest)
            {
                Forget(stalest, output);
                onEviction();
            }
        }

        node.Value.ExpiresAt = now + factory.GroupLifetime;
        _byActivity.AddLast(node);
        node.Value.Detector.Observe(input, output);
    }

    /// <summary>Forgets every group quiet since before <paramref name="now"/> minus the lifetime, stalest first.</summary>
    public void Expire(DateTimeOffset now, List<Alert> output)
    {
        while (_byActivity.First is { } stalest && stalest.Value.ExpiresAt <= now)
        {
            Forget(stalest, output);
        }
    }

    /// <summary>End of input: every group is forgotten, stalest first.</summary>
    public void CloseAll(List<Alert> output)
    {
        while (_byActivity.First is { } stalest)
        {
            Forget(stalest, output);
        }
    }

    private void Forget(LinkedListNode<Group> node, List<Alert> output)
    {
        _byActivity.Remove(node);
        _groups.Remove(node.Value.Key);
        if (node.Value.Detector.Close() is { } resolved)
        {
            output.Add(resolved);
        }
    }

    private sealed class Group(string key, IGroupDetector detector)
    {
        public string Key { get; } = key;

        public IGroupDetector Detector { get; } = detector;

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
