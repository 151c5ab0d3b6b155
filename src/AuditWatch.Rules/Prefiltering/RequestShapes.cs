using AuditWatch.Core.Requests;

namespace AuditWatch.Rules.Prefiltering;

/// <summary>
/// The shapes one pipeline has seen, each with its number. Not thread-safe: a pipeline's requests arrive one at a time.
/// Past the capacity, new shapes are <see cref="RequestShape.Unnumbered"/> and their requests skip no rule.
/// </summary>
public sealed class RequestShapes(int capacity = RequestShapes.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    private readonly Dictionary<ShapeKey, RequestShape> _shapes = [];

    public int Count => _shapes.Count;

    public RequestShape Of(ApiRequest request)
    {
        var key = ShapeKey.Of(request);
        if (_shapes.TryGetValue(key, out var shape))
        {
            return shape;
        }

        if (_shapes.Count >= capacity)
        {
            return RequestShape.Unnumbered;
        }

        shape = new RequestShape(_shapes.Count);
        _shapes.Add(key, shape);
        return shape;
    }
}
