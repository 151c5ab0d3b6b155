namespace AuditWatch.Rules.Conditions;

/// <summary>Lists defined once under <c>lists:</c> and referenced from any rule as <c>$name</c>.</summary>
public sealed class NamedLists
{
    private readonly Dictionary<string, IReadOnlyList<string>> _lists = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IReadOnlyList<string>> All => _lists;

    public bool TryAdd(string name, IReadOnlyList<string> values) => _lists.TryAdd(name, values);

    public bool TryGet(string name, out IReadOnlyList<string> values) => _lists.TryGetValue(name, out values!);
}
