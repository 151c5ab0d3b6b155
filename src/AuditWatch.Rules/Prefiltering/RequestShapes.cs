using System.Runtime.CompilerServices;
using AuditWatch.Core.Requests;

namespace AuditWatch.Rules.Prefiltering;

/// <summary>
/// The shapes one pipeline has seen, each with its number. Not thread-safe: a pipeline's requests arrive one at a time.
/// Past the capacity, new shapes are <see cref="RequestShape.Unnumbered"/> and their requests skip no rule.
/// </summary>
/// <remarks>
/// The decoder hands on one string instance per verb, resource and API group it has seen recently, so most requests
/// are found in a small table keyed by those instances, compared by reference: hashing four strings and comparing
/// them by value on every request cost more than all the rules a typical request reaches.
/// </remarks>
public sealed class RequestShapes(int capacity = RequestShapes.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    private const int RecentSlots = 256;

    private readonly Dictionary<ShapeKey, RequestShape> _shapes = [];
    private readonly (ShapeKey Key, RequestShape? Shape)[] _recent = new (ShapeKey, RequestShape?)[RecentSlots];

    public int Count => _shapes.Count;

    public RequestShape Of(ApiRequest request)
    {
        var key = ShapeKey.Of(request);
        ref var recent = ref _recent[RecentSlot(key)];
        if (recent.Shape is { } remembered && recent.Key.SameInstancesAs(key))
        {
            return remembered;
        }

        if (!_shapes.TryGetValue(key, out var shape))
        {
            if (_shapes.Count >= capacity)
            {
                return RequestShape.Unnumbered;
            }

            shape = new RequestShape(_shapes.Count);
            _shapes.Add(key, shape);
        }

        recent = (key, shape);
        return shape;
    }

    private static int RecentSlot(in ShapeKey key) =>
        (int)((uint)(RuntimeHelpers.GetHashCode(key.Verb) ^ (RuntimeHelpers.GetHashCode(key.Resource) * 31) ^ (int)key.Outcome ^ key.ResponseCode.GetValueOrDefault()) % RecentSlots);
}
