namespace AuditWatch.Core.Requests;

/// <summary>
/// Who made a request. Keyed by the authenticated username; an impersonated user is carried along for display
/// and rules, never used as the key (the real actor is the one whose credentials were used).
/// </summary>
public sealed record Identity
{
    public required string Username { get; init; }
    public required IdentityKind Kind { get; init; }
    public IReadOnlyList<string> Groups { get; init; } = [];
    public string? ServiceAccountNamespace { get; init; }
    public string? ServiceAccountName { get; init; }
    public string? NodeName { get; init; }
    public string? ImpersonatedUser { get; init; }
    public IReadOnlyList<string> ImpersonatedGroups { get; init; } = [];

    /// <summary><c>authentication.kubernetes.io/pod-name</c> of a bound service-account token.</summary>
    public string? PodNameClaim { get; init; }

    /// <summary><c>authentication.kubernetes.io/node-name</c> of a bound service-account token.</summary>
    public string? NodeNameClaim { get; init; }

    /// <summary><c>authentication.kubernetes.io/credential-id</c> (JTI of the token, or a certificate serial).</summary>
    public string? CredentialId { get; init; }

    /// <summary>"bob as system:serviceaccount:x:y" when impersonating, else the username.</summary>
    public string Display => ImpersonatedUser is null ? Username : $"{Username} as {ImpersonatedUser}";
}
