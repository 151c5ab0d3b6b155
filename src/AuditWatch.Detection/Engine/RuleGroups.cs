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
/// activity order is a list threaded through the groups' detectors themselves: a rule may track 100,000 groups, and a
/// list node object per group was memory and collector work for nothing.
/// </remarks>
internal sealed class RuleGroups(DetectorFactory factory, int capacity, Action onEviction)
{
    private readonly GroupTable _groups = new();
    private GroupDetector? _stalest;
    private GroupDetector? _latest;
    private readonly long _lifetimeTicks = factory.GroupLifetime.Ticks;

    public int Count => _groups.Count;

    /// <summary>When the stalest group expires, as UTC ticks of the event clock, or <see cref="long.MaxValue"/> when there is none.</summary>
    public long NextExpiryTicks => _stalest?.ExpiresAtTicks ?? long.MaxValue;

    public void Observe(RuleInput input, DateTimeOffset now, List<Alert> output)
    {
        var nowTicks = now.UtcTicks;

        // Before anything changes, as DateTimeOffset's own arithmetic would throw: the rule fails and starts over.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nowTicks, DateTimeOffset.MaxValue.UtcTicks - _lifetimeTicks, nameof(now));
        // One identity's run of requests finds its group without hashing the key: the latest, by the very instance the
        // decoder shares.
        var group = _latest is { } latest && ReferenceEquals(latest.GroupKey, input.GroupKey) ? latest : _groups.Find(input.GroupKey);
        if (group is not null && group.ExpiresAtTicks <= nowTicks)
        {
            // Quiet for its lifetime, and its rule's timer not yet run (it may run up to a second late): forgotten now,
            // as it would have been on time, and the request opens a new group.
            Forget(group, output);
            group = null;
        }

        if (group is not null)
        {
            // The same group again (one identity's run of requests): it is the latest already.
            if (group == _latest)
            {
                group.ExpiresAtTicks = nowTicks + _lifetimeTicks;
                group.Observe(input, output);
                return;
            }

            Unlink(group);
        }
        else if (!factory.Opens(input))
        {
            return;
        }
        else
        {
            group = factory.Create(input.GroupKey);
            _groups.Add(group);
            while (_groups.Count > capacity && _stalest is { } stalest)
            {
                // One already quiet for its lifetime (its timer due within the second) expired; it is not evicted.
                Forget(stalest, output);
                if (stalest.ExpiresAtTicks > nowTicks)
                {
                    onEviction();
                }
            }
        }

        group.ExpiresAtTicks = nowTicks + _lifetimeTicks;
        Append(group);
        group.Observe(input, output);
    }

    /// <summary>Forgets every group quiet since before <paramref name="now"/> minus the lifetime, stalest first.</summary>
    public void Expire(DateTimeOffset now, List<Alert> output)
    {
        while (_stalest is { } stalest && stalest.ExpiresAtTicks <= now.UtcTicks)
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

    private void Forget(GroupDetector group, List<Alert> output)
    {
        Unlink(group);
        _groups.Remove(group);
        if (group.Close() is { } resolved)
        {
            output.Add(resolved);
        }
    }

    private void Append(GroupDetector group)
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

    private void Unlink(GroupDetector group)
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
}
