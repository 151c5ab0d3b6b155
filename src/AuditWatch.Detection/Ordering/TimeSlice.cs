namespace AuditWatch.Detection.Ordering;

/// <summary>
/// The waiting requests of one slice of request time (<see cref="PendingRequests"/>): in arrival order until the slice
/// is first looked at as the oldest, sorted then, once, and taken from the front.
/// </summary>
internal sealed class TimeSlice
{
    private const int InitialCapacity = 4;

    // A slice given back keeps an array up to this size (4 MiB: 105 ms at 600,000 requests/s) for the next slice.
    private const int LargestKept = 65_536;

    private WaitingRequest[] _items = new WaitingRequest[InitialCapacity];
    private int _start;
    private int _end;
    private bool _sorted = true;
    private bool _taking;

    public long Index { get; private set; }

    public bool IsEmpty => _start == _end;

    /// <summary>How many requests the slice has room for without growing.</summary>
    public int Room => _items.Length;

    /// <summary>
    /// What orders the oldest request of the slice, which must not be empty. Sorts the slice if need be; from then on
    /// it stays sorted, and <see cref="TryAppend"/> refuses requests that would break its order.
    /// </summary>
    public (long TimeTicks, long Sequence) OldestKey()
    {
        if (!_sorted)
        {
            Array.Sort(_items, _start, _end - _start, WaitingRequest.Order);
            _sorted = true;
        }

        _taking = true;
        return _items[_start].Key;
    }

    public void Open(long index) => Index = index;

    /// <summary>Adds the request last, unless the slice is being taken from and the request is older than its last.</summary>
    public bool TryAppend(in WaitingRequest request)
    {
        var inOrder = _start == _end || _items[_end - 1].Key.CompareTo(request.Key) <= 0;
        if (!inOrder && _taking)
        {
            return false;
        }

        if (_end == _items.Length)
        {
            MakeRoom();
        }

        _items[_end++] = request;
        _sorted &= inOrder;
        return true;
    }

    /// <summary>Takes the oldest request; the slice must be sorted (<see cref="OldestKey"/> asked) and not empty.</summary>
    public WaitingRequest TakeFirst()
    {
        var first = _items[_start];
        _items[_start++] = default;
        return first;
    }

    /// <summary>Empties the slice for another index; false when its array is too large to keep.</summary>
    public bool Reset()
    {
        Array.Clear(_items, _start, _end - _start);
        _start = _end = 0;
        _sorted = true;
        _taking = false;
        return _items.Length <= LargestKept;
    }

    private void MakeRoom()
    {
        var count = _end - _start;
        if (_start >= _items.Length / 2)
        {
            // Taken from the front while added to at the back: move what is left down instead of growing.
            Array.Copy(_items, _start, _items, 0, count);
            Array.Clear(_items, count, _end - count);
        }
        else
        {
            var items = new WaitingRequest[_items.Length * 2];
            Array.Copy(_items, _start, items, 0, count);
            _items = items;
        }

        _start = 0;
        _end = count;
    }
}
