using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Normalize;

/// <summary>Turns the <c>user</c> and <c>impersonatedUser</c> blocks into an <see cref="Identity"/>.</summary>
public static class IdentityParser
{
    public const string PodNameClaim = "authentication.kubernetes.io/pod-name";
    public const string NodeNameClaim = "authentication.kubernetes.io/node-name";
    public const string CredentialIdClaim = "authentication.kubernetes.io/credential-id";

    private const string ServiceAccountPrefix = "system:serviceaccount:";
    private const string NodePrefix = "system:node:";

    // Exact names only: a prefix such as "system:" would also cover identities an attacker can mint or steal.
    private static readonly HashSet<string> ControlPlaneUsers = new(StringComparer.Ordinal)
    {
        "system:apiserver",
        "system:kube-controller-manager",
        "system:kube-scheduler",
        "system:kube-proxy",
    };

    public static Identity Parse(UserInfo user, UserInfo? impersonated)
    {
        var username = user.Username;
        var identity = new Identity
        {
            Username = username,
            Kind = KindOf(user),
            Groups = user.Groups,
            ImpersonatedUser = impersonated?.Username,
            ImpersonatedGroups = impersonated?.Groups ?? [],
            PodNameClaim = Claim(user, PodNameClaim),
            NodeNameClaim = Claim(user, NodeNameClaim),
            CredentialId = Claim(user, CredentialIdClaim),
        };

        if (username.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            var rest = username.AsSpan(ServiceAccountPrefix.Length);
            var colon = rest.IndexOf(':');
            if (colon > 0)
            {
                return identity with
                {
                    ServiceAccountNamespace = rest[..colon].ToString(),
                    ServiceAccountName = rest[(colon + 1)..].ToString(),
                };
            }
        }

        if (username.StartsWith(NodePrefix, StringComparison.Ordinal))
        {
            return identity with { NodeName = username[NodePrefix.Length..] };
        }

        return identity;
    }

    private static IdentityKind KindOf(UserInfo user)
    {
        var name = user.Username;
        if (name == "system:anonymous" || user.Groups.Contains("system:unauthenticated"))
        {
            return IdentityKind.Anonymous;
        }

        if (name.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) && name.IndexOf(':', ServiceAccountPrefix.Length) > 0)
        {
            return IdentityKind.ServiceAccount;
        }

        if (name.StartsWith(NodePrefix, StringComparison.Ordinal) && name.Length > NodePrefix.Length)
        {
            return IdentityKind.Node;
        }

        return ControlPlaneUsers.Contains(name) ? IdentityKind.ControlPlane : IdentityKind.Human;
    }

    private static string? Claim(UserInfo user, string key) =>
        user.Extra.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;
}
