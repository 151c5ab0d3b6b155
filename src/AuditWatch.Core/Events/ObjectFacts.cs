namespace AuditWatch.Core.Events;

/// <summary>
/// The few facts detection needs from a non-sensitive request body (pods and RBAC objects),
/// extracted at decode time so the body itself is never kept.
/// </summary>
public sealed record ObjectFacts(
    IReadOnlyList<string> ReferencedSecrets,
    string? RoleRefKind,
    string? RoleRefName,
    IReadOnlyList<string> Subjects,
    bool GrantsSecretRead)
{
    public static readonly ObjectFacts Empty = new([], null, null, [], false);
}
