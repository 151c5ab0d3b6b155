using System.Reactive;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// Caps how many groups (identities) one rule tracks. Groups are kept in least-recently-used order; opening one past
/// the cap closes the stalest, which resolves its incident, and is counted.
/// </summary>
internal sealed class GroupBudget(int capacity, Action onEviction)
{
    private readonly LinkedList<string> _order = new();
    private readonly Dictionary<string, (LinkedListNode<string> Node, Action? Evict)> _groups = new(StringComparer.Ordinal);

    public int Count => _groups.Count;

    /// <summary>Marks the group as just used, making room for it when it is new.</summary>
    public void Touch(string key)
    {
        if (_groups.TryGetValue(key, out var entry))
        {
            _order.Remove(entry.Node);
            _order.AddFirst(entry.Node);
            return;
        }

        _groups[key] = (_order.AddFirst(key), null);
        while (_groups.Count > capacity && _order.Last is { } stalest)
        {
            var evict = _groups[stalest.Value].Evict;
            Forget(stalest.Value);
            onEviction();
            evict?.Invoke();
        }
    }

    /// <summary>Signals once when the group is evicted; subscribe to it for the group's lifetime.</summary>
    public IObservable<Unit> Eviction(string key) => Observable.Create<Unit>(observer =>
    {
        if (_groups.TryGetValue(key, out var entry))
        {
            _groups[key] = (entry.Node, () => observer.OnNext(Unit.Default));
        }

        return Disposable.Create(() => Forget(key));
    });

    private void Forget(string key)
    {
        if (_groups.Remove(key, out var entry))
        {
            _order.Remove(entry.Node);
        }
    }
}
