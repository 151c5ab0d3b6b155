using AuditWatch.Core.Requests;

namespace AuditWatch.Rules.Model;

/// <summary>A threshold with optional overrides per kind of identity (people are held to less than controllers).</summary>
public sealed record Thresholds(int Default, IReadOnlyDictionary<IdentityKind, int> ByKind)
{
    public int For(IdentityKind kind) => ByKind.TryGetValue(kind, out var value) ? value : Default;

    public int Largest => ByKind.Values.Append(Default).Max();
}
