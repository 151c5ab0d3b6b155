using AuditWatch.Core.Alerts;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// The groups (identities, join keys) of one rule, each with its detector, in order of last activity. A group is
/// forgotten when it has been quiet for the rule's group lifetime on the event clock, or when opening a new group
/// passes the cap (the stalest goes, counted as an eviction); forgetting a group resolves its open incident.
/// </summary>
/// <remarks>
/// Every group of a rule lives equally long after its last request, so the least recently active group is always the
/// next to expire: one timer per rule suffices, where a timer per group would cost a reschedule per request. The
/// activity order is a list threaded through the groups themselves: a rule may track 100,000 of them, and a list node
/// object per group was memory and collector work for nothing.
/// </remarks>
internal sealed class RuleGroups(DetectorFactory factory, int capacity, Action onEviction)
{
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private Group? _stalest;
    private Group? _latest;

    public int Count => _groups.Count;

    /// <summary>When the stalest group expires, or null when there is none.</summary>
    public DateTimeOffset? NextExpiry => _stalest?.ExpiresAt;

    public void Observe(RuleInput input, DateTimeOffset now, List<Alert> output)
    {
        if (_groups.TryGetValue(input.GroupKey, out var group))
        {
            Unlink(group);
        }
        else if (!factory.Opens(input))
        {
            return;
        }
        else
        {
            group = new Group(input.GroupKey, factory.Create(input.GroupKey));
            _groups[input.GroupKey] = group;
            while (_groups.Count > capacity && _stalest is { } stalest)
            {
                Forget(stalest, output);
                onEviction();
            }
        }

        group.ExpiresAt = now + factory.GroupLifetime;
        Append(group);
        group.Detector.Observe(input, output);
    }

    /// <summary>Forgets every group quiet since before <paramref name="now"/> minus the lifetime, stalest first.</summary>
    public void Expire(DateTimeOffset now, List<Alert> output)
    {
        while (_stalest is { } stalest && stalest.ExpiresAt <= now)
        {
            Forget(stalest, output);
        }
    }

    /// <summary>End of input: every group is forgotten, stalest first.</summary>
    public void CloseAll(List<Alert> output)
    {
        while (_stalest is { } stalest)
        {
            Forget(stalest, output);
        }
    }

    private void Forget(Group group, List<Alert> output)
    {
        Unlink(group);
        _groups.Remove(group.Key);
        if (group.Detector.Close() is { } resolved)
        {
            output.Add(resolved);
        }
    }

    private void Append(Group group)
    {
        group.Older = _latest;
        group.Newer = null;
        if (_latest is not null)
        {
            _latest.Newer = group;
        }

        _latest = group;
        _stalest ??= group;
    }

    private void Unlink(Group group)
    {
        if (group.Older is not null)
        {
            group.Older.Newer = group.Newer;
        }
        else if (_stalest == group)
        {
            _stalest = group.Newer;
        }

        if (group.Newer is not null)
        {
            group.Newer.Older = group.Older;
        }
        else if (_latest == group)
        {
            _latest = group.Older;
        }

        group.Older = null;
        group.Newer = null;
    }

    private sealed class Group(string key, IGroupDetector detector)
    {
        public string Key { get; } = key;

        public IGroupDetector Detector { get; } = detector;

        public DateTimeOffset ExpiresAt { get; set; }

        public Group? Older { get; set; }

        public Group? Newer { get; set; }
    }
}
