using System.Diagnostics.CodeAnalysis;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Normalize;

/// <summary>
/// Decides whether a request read Secrets and how much: a get (or a list/watch narrowed by
/// <c>fieldSelector=metadata.name=X</c>) reads one object; any other list/watch reads every Secret of its namespace,
/// or of the cluster when it names none.
/// </summary>
public static class SecretReadClassifier
{
    public static SecretRead? Classify(string verb, ObjectReference? objectRef, string? requestUri)
    {
        if (!IsSecretRead(verb, objectRef))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(objectRef.Name))
        {
            return NamedSecretReadCache.For(objectRef);
        }

        var name = verb == "get" ? null : FieldSelectorName(requestUri);
        if (!string.IsNullOrEmpty(name))
        {
            return new SecretRead(SecretScope.Object, objectRef.Namespace, name);
        }

        return string.IsNullOrEmpty(objectRef.Namespace)
            ? new SecretRead(SecretScope.Cluster, null, null)
            : new SecretRead(SecretScope.Namespace, objectRef.Namespace, null);
    }

    /// <summary>Whether <see cref="Classify"/> finds a read, without working out its scope (which may allocate).</summary>
    public static bool IsSecretRead(string verb, [NotNullWhen(true)] ObjectReference? objectRef) =>
        objectRef is { Resource: "secrets" } && string.IsNullOrEmpty(objectRef.ApiGroup) && string.IsNullOrEmpty(objectRef.Subresource) &&
        verb is ("get" or "list" or "watch");

    /// <summary>The X of <c>fieldSelector=metadata.name=X</c> (or <c>==X</c>) when that is the selector's only term.</summary>
    public static string? FieldSelectorName(string? requestUri)
    {
        if (requestUri is null)
        {
            return null;
        }

        var query = requestUri.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        foreach (var pair in requestUri[(query + 1)..].Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || pair[..equals] != "fieldSelector")
            {
                continue;
            }

            var selector = Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            if (selector.Contains(',', StringComparison.Ordinal))
            {
                return null;
            }

            foreach (var prefix in (string[])["metadata.name==", "metadata.name="])
            {
                if (selector.StartsWith(prefix, StringComparison.Ordinal) && selector.Length > prefix.Length)
                {
                    return selector[prefix.Length..];
                }
            }
        }

        return null;
    }
}
