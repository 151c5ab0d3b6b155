using System.Globalization;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Rules.Fields;

/// <summary>Every field a rule may name (documented in docs/rules.md), and how it is read off a request.</summary>
public static class FieldCatalog
{
    /// <summary>The Secret a request read: what the shipped distinct rules count.</summary>
    public const string SecretObject = "secret.object";

    private static readonly Dictionary<string, Field> Fields = new Field[]
    {
        Field.One("user", "authenticated username", r => r.Identity.Username),
        Field.Shape("user.kind", "human, service_account, node, control_plane, anonymous", r => KindName(r.Identity.Kind)),
        Field.Many("user.groups", "groups of the authenticated user", r => r.Identity.Groups),
        Field.One("user.sa_namespace", "namespace of a service account", r => r.Identity.ServiceAccountNamespace),
        Field.One("user.sa_name", "name of a service account", r => r.Identity.ServiceAccountName),
        Field.One("user.node", "node of a kubelet", r => r.Identity.NodeName),
        Field.One("user.pod", "pod-name claim of a bound token", r => r.Identity.PodNameClaim),
        Field.One("user.claim_node", "node-name claim of a bound token", r => r.Identity.NodeNameClaim),
        Field.One("user.credential_id", "credential-id claim", r => r.Identity.CredentialId),
        Field.One("impersonated.user", "impersonated username", r => r.Identity.ImpersonatedUser),
        Field.Many("impersonated.groups", "impersonated groups", r => r.Identity.ImpersonatedGroups),
        Field.Shape("verb", "request verb", r => r.Verb),
        Field.Shape("resource", "resource", r => r.Resource),
        Field.Shape("subresource", "subresource", r => r.Subresource),
        Field.Shape("api_group", "API group (empty for core)", r => r.ApiGroup ?? string.Empty),
        Field.One("namespace", "namespace", r => r.Namespace),
        Field.One("name", "object name", r => r.Name),
        Field.One("request_uri", "request URI", r => r.RequestUri),
        Field.Shape("outcome", "allowed, denied, not_found, error, unknown", r => OutcomeName(r.Outcome)),
        Field.Shape("code", "HTTP status code", r => CodeText(r.ResponseCode)),
        Field.Many("source_ip", "client addresses", r => r.SourceIps),
        Field.One("user_agent", "raw user agent", r => r.UserAgent),
        Field.One("user_agent.product", "first product token of the user agent", r => r.UserAgentProduct),
        Field.Shape("secret.read", "true for a get/list/watch of core Secrets", r => Bool(r.SecretRead is not null)),
        Field.Shape("secret.scope", "object, namespace, cluster", r => r.SecretRead is { } s ? ScopeName(s.Scope) : null),
        Field.One(SecretObject, "namespace/name, namespace/* or *", r => r.SecretRead?.ObjectKey),
        Field.One("secret.name", "name of the Secret read", r => r.SecretRead?.Name),
        Field.Shape("payload.secret", "true when the logged body held Secret data or a token", r => Bool(r.SecretPayload != SecretPayload.None)),
        Field.Many("pod.secrets", "Secrets a created pod or workload references", r => r.RequestFacts.ReferencedSecrets),
        Field.One("rbac.role_ref", "Kind/name of a binding's role", r => r.RequestFacts.RoleRefName is { } n ? $"{r.RequestFacts.RoleRefKind}/{n}" : null),
        Field.Many("rbac.subjects", "a binding's subjects as usernames", r => r.RequestFacts.Subjects),
        Field.One("rbac.grants_secret_read", "true for a role allowing reads of Secrets", r => Bool(r.RequestFacts.GrantsSecretRead)),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => Fields.Keys;

    public static bool TryGet(string name, out Field field) => Fields.TryGetValue(name, out field!);

    // Names and codes are computed once: fields are read for every request each rule looks at.
    // Indexed by the enum's value (the enums are dense from 0).
    private static readonly string[] KindNames = [.. Enum.GetValues<IdentityKind>().Order().Select(k => k switch
    {
        IdentityKind.ServiceAccount => "service_account",
        IdentityKind.ControlPlane => "control_plane",
        _ => k.ToString().ToLowerInvariant(),
    })];

    private static readonly string[] OutcomeNames = [.. Enum.GetValues<RequestOutcome>().Order().Select(o => o switch
    {
        RequestOutcome.NotFound => "not_found",
        _ => o.ToString().ToLowerInvariant(),
    })];

    private static readonly string[] ScopeNames = [.. Enum.GetValues<SecretScope>().Order().Select(s => s.ToString().ToLowerInvariant())];

    private static readonly string[] Codes = [.. Enumerable.Range(0, 600).Select(c => c.ToString(CultureInfo.InvariantCulture))];

    public static string KindName(IdentityKind kind) => KindNames[(int)kind];

    private static string OutcomeName(RequestOutcome outcome) => OutcomeNames[(int)outcome];

    private static string ScopeName(SecretScope scope) => ScopeNames[(int)scope];

    private static string? CodeText(int? code) => code switch
    {
        null => null,
        >= 0 and < 600 => Codes[code.Value],
        _ => code.Value.ToString(CultureInfo.InvariantCulture),
    };

    private static string Bool(bool value) => value ? "true" : "false";
}
