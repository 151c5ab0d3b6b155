using AuditWatch.Core.Requests;

namespace AuditWatch.Rules.Fields;

/// <summary>A named property of a normalized request that rules can test, group by and count.</summary>
public sealed class Field
{
    private readonly Func<ApiRequest, string?>? _single;
    private readonly Func<ApiRequest, IReadOnlyList<string>>? _many;

    private Field(string name, string description, Func<ApiRequest, string?>? single, Func<ApiRequest, IReadOnlyList<string>>? many, bool ofShape = false)
    {
        Name = name;
        Description = description;
        _single = single;
        _many = many;
        OfShape = ofShape;
    }

    public string Name { get; }

    public string Description { get; }

    public bool IsMultiValued => _many is not null;

    /// <summary>The value is fixed by the request's <see cref="Prefiltering.RequestShape"/>: equal shapes, equal values.</summary>
    public bool OfShape { get; }

    public static Field One(string name, string description, Func<ApiRequest, string?> read) => new(name, description, read, null);

    /// <summary>A single-valued field read only from what <see cref="Prefiltering.ShapeKey"/> holds.</summary>
    public static Field Shape(string name, string description, Func<ApiRequest, string?> read) => new(name, description, read, null, ofShape: true);

    public static Field Many(string name, string description, Func<ApiRequest, IReadOnlyList<string>> read) => new(name, description, null, read);

    /// <summary>The first value, or null when the field has none.</summary>
    public string? First(ApiRequest request)
    {
        if (_single is not null)
        {
            return _single(request);
        }

        var values = _many!(request);
        return values.Count > 0 ? values[0] : null;
    }

    public IReadOnlyList<string> All(ApiRequest request)
    {
        if (_many is not null)
        {
            return _many(request);
        }

        return _single!(request) is { } value ? [value] : [];
    }

    /// <summary>Whether any value satisfies the test; false when there is no value.</summary>
    public bool Any(ApiRequest request, Func<string, bool> test)
    {
        if (_single is not null)
        {
            return _single(request) is { } value && test(value);
        }

        var values = _many!(request);
        for (var i = 0; i < values.Count; i++)
        {
            if (test(values[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any value is <paramref name="wanted"/> (ordinal): <see cref="Any"/> without a delegate to make.</summary>
    public bool Has(ApiRequest request, string wanted)
    {
        if (_single is not null)
        {
            return string.Equals(_single(request), wanted, StringComparison.Ordinal);
        }

        var values = _many!(request);
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], wanted, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
