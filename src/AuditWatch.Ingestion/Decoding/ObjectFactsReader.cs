using System.Text.Json;
using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// Extracts from a pod or RBAC request body the names detection needs: Secrets a pod mounts or references,
/// a binding's role and subjects, whether a role grants reading Secrets.
/// </summary>
internal static class ObjectFactsReader
{
    private static readonly string[] ReadVerbs = ["get", "list", "watch", "*"];

    public static ObjectFacts Read(ReadOnlySpan<byte> body, string resource) => resource switch
    {
        "pods" or "deployments" or "daemonsets" or "statefulsets" or "replicasets" or "jobs" or "cronjobs" =>
            ObjectFacts.Empty with { ReferencedSecrets = ReadSecretReferences(body) },
        "rolebindings" or "clusterrolebindings" => ReadBinding(body),
        "roles" or "clusterroles" => ObjectFacts.Empty with { GrantsSecretRead = ReadGrantsSecretRead(body) },
        _ => ObjectFacts.Empty,
    };

    /// <summary>secret volumes (secretName), projected secrets, and env/envFrom secret references, anywhere in the spec.</summary>
    private static IReadOnlyList<string> ReadSecretReferences(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        var names = new List<string>();
        var containers = new Stack<string?>();
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    containers.Push(property);
                    property = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    containers.TryPop(out _);
                    property = null;
                    break;
                case JsonTokenType.String:
                    var parent = containers.Count > 0 ? containers.Peek() : null;
                    var isReference = property == "secretName"
                        || (property == "name" && parent is "secret" or "secretKeyRef" or "secretRef");
                    if (isReference && reader.GetString() is { Length: > 0 } name && !names.Contains(name))
                    {
                        names.Add(name);
                    }

                    property = null;
                    break;
                default:
                    property = null;
                    break;
            }
        }

        return names;
    }

    private static ObjectFacts ReadBinding(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ObjectFacts.Empty;
        }

        string? roleKind = null, roleName = null;
        if (root.TryGetProperty("roleRef", out var roleRef) && roleRef.ValueKind == JsonValueKind.Object)
        {
            roleKind = StringOf(roleRef, "kind");
            roleName = StringOf(roleRef, "name");
        }

        var subjects = new List<string>();
        if (root.TryGetProperty("subjects", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var subject in list.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object))
            {
                var kind = StringOf(subject, "kind");
                var ns = StringOf(subject, "namespace");
                var name = StringOf(subject, "name");
                subjects.Add(kind == "ServiceAccount" ? $"system:serviceaccount:{ns}:{name}" : name ?? string.Empty);
            }
        }

        return ObjectFacts.Empty with { RoleRefKind = roleKind, RoleRefName = roleName, Subjects = subjects };
    }

    private static bool ReadGrantsSecretRead(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        return rules.EnumerateArray().Any(rule =>
            rule.ValueKind == JsonValueKind.Object
            && Strings(rule, "apiGroups").Any(g => g is "" or "*")
            && Strings(rule, "resources").Any(r => r is "secrets" or "*")
            && Strings(rule, "verbs").Any(v => ReadVerbs.Contains(v)));
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
            : [];
}
