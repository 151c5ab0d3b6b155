namespace AuditWatch.Core.Requests;

/// <summary>A get, list or watch of core Secrets (no subresource).</summary>
public sealed record SecretRead(SecretScope Scope, string? Namespace, string? Name)
{
    /// <summary>"namespace/name"; "namespace/*" for a namespace-wide read; "*" for a cluster-wide one.</summary>
    public string ObjectKey { get; } = Scope switch
    {
        SecretScope.Object => $"{Namespace}/{Name}",
        SecretScope.Namespace => $"{Namespace}/*",
        _ => "*",
    };
}
