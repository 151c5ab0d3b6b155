using AuditWatch.Rules.Fields;

namespace AuditWatch.Rules.Sigma;

/// <summary>
/// Sigma's Kubernetes audit field names (the audit.k8s.io/v1 Event paths SigmaHQ rules use) mapped onto the fields of a
/// normalized request. Native field names are accepted too, so a Sigma rule can use what AuditWatch derives (secret.scope).
/// </summary>
public static class SigmaFields
{
    private static readonly Dictionary<string, string> AuditPaths = new(StringComparer.Ordinal)
    {
        ["verb"] = "verb",
        ["objectRef.resource"] = "resource",
        ["objectRef.subresource"] = "subresource",
        ["objectRef.namespace"] = "namespace",
        ["objectRef.name"] = "name",
        ["objectRef.apiGroup"] = "api_group",
        ["apiGroup"] = "api_group",
        ["user.username"] = "user",
        ["user.groups"] = "user.groups",
        ["impersonatedUser.username"] = "impersonated.user",
        ["impersonatedUser.groups"] = "impersonated.groups",
        ["responseStatus.code"] = "code",
        ["requestURI"] = "request_uri",
        ["userAgent"] = "user_agent",
        ["sourceIPs"] = "source_ip",
    };

    /// <summary>What a keyword (a value without a field) is searched in: every text field of the request as logged.</summary>
    public static readonly IReadOnlyList<Field> KeywordFields =
        [.. new[] { "user", "user.groups", "impersonated.user", "verb", "resource", "subresource", "namespace", "name", "request_uri", "user_agent", "source_ip", "code" }
            .Select(name => FieldCatalog.TryGet(name, out var field) ? field : throw new InvalidOperationException($"field {name} is missing"))];

    public static bool TryResolve(string sigmaName, out Field field)
    {
        var native = AuditPaths.TryGetValue(sigmaName, out var mapped) ? mapped : sigmaName;
        return FieldCatalog.TryGet(native, out field);
    }

    public static string UnknownFieldMessage(string name) =>
        $"field '{name}' is not one AuditWatch reads from Kubernetes audit events; Sigma fields it maps: {string.Join(", ", AuditPaths.Keys)} (or any native field of docs/rules.md)";
}
