using System.Text.Json;
using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding.Envelopes;

/// <summary>
/// A GKE Cloud Logging entry (<c>protoPayload</c> of type AuditLog, serviceName k8s.io) read as an audit event: the verb
/// is the last segment of <c>methodName</c> (io.k8s.core.v1.secrets.get), namespace, resource and name come from
/// <c>resourceName</c> (core/v1/namespaces/NS/secrets/NAME), the user from <c>authenticationInfo.principalEmail</c>,
/// the request id from <c>operation.id</c>, and the gRPC status code becomes the HTTP one.
/// </summary>
internal static class GkeAuditLog
{
    public static DecodeResult Read(JsonElement entry, SourcePosition position)
    {
        var payload = entry.GetProperty("protoPayload");
        if (String(payload, "serviceName") is { } service && service != "k8s.io")
        {
            return DecodeResult.Of(new DecodeError(position, DecodeErrorKind.NotAnEvent, $"GKE entry of service {Short(service)}, not k8s.io"));
        }

        var method = String(payload, "methodName");
        var resourceName = String(payload, "resourceName");
        var user = payload.TryGetProperty("authenticationInfo", out var authentication) ? String(authentication, "principalEmail") : null;
        var time = String(entry, "timestamp");
        if (method is null || resourceName is null || user is null || time is null || !DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, out var timestamp))
        {
            return DecodeResult.Of(new DecodeError(position, DecodeErrorKind.NotAnEvent, "GKE entry lacks methodName, resourceName, authenticationInfo.principalEmail or timestamp"));
        }

        if (!PlausibleTime.Contains(timestamp))
        {
            return DecodeResult.Of(new DecodeError(position, DecodeErrorKind.TimeOutOfRange, PlausibleTime.Outside("timestamp", timestamp)));
        }

        var verb = method[(method.LastIndexOf('.') + 1)..];
        var objectRef = ObjectReferenceOf(resourceName);
        var auditId = (entry.TryGetProperty("operation", out var operation) ? String(operation, "id") : null)
            ?? String(entry, "insertId")
            ?? $"{timestamp.UtcTicks}-{user}-{resourceName}";
        var metadata = payload.TryGetProperty("requestMetadata", out var m) ? m : default;
        var description = new RequestDescription
        {
            Stage = AuditStage.ResponseComplete,
            Level = "Metadata",
            Verb = verb,
            RequestUri = UriOf(objectRef),
            User = UserInfo.Named(user),
            SourceIps = metadata.ValueKind == JsonValueKind.Object && String(metadata, "callerIp") is { } ip ? [ip] : [],
            UserAgent = metadata.ValueKind == JsonValueKind.Object ? String(metadata, "callerSuppliedUserAgent") : null,
            ObjectRef = objectRef,
            ResponseCode = HttpStatusOf(payload),
        };
        return DecodeResult.Of(new AuditEvent(description, auditId, timestamp, timestamp), position);
    }

    /// <summary>core/v1/namespaces/NS/secrets/NAME[/SUB], core/v1/secrets, apps/v1/namespaces/NS/deployments …</summary>
    private static ObjectReference ObjectReferenceOf(string resourceName)
    {
        var parts = resourceName.Split('/');
        var group = parts.Length > 0 && parts[0] != "core" ? parts[0] : null;
        var version = parts.Length > 1 ? parts[1] : null;
        string? At(int i) => parts.Length > i ? parts[i] : null;
        if (At(2) == "namespaces" && parts.Length > 4)
        {
            return new ObjectReference(At(4), At(3), At(5), group, version, At(6));
        }

        if (At(2) == "namespaces")
        {
            return new ObjectReference("namespaces", null, At(3), group, version, null);
        }

        return new ObjectReference(At(2), null, At(3), group, version, At(4));
    }

    private static string UriOf(ObjectReference o)
    {
        var root = o.ApiGroup is null ? "/api/v1" : $"/apis/{o.ApiGroup}/{o.ApiVersion}";
        var path = o.Namespace is null ? $"{root}/{o.Resource}" : $"{root}/namespaces/{o.Namespace}/{o.Resource}";
        return o.Name is null ? path : $"{path}/{o.Name}";
    }

    /// <summary>gRPC status (google.rpc.Code) to HTTP; a denied authorization decision is a 403 whatever the code.</summary>
    private static int HttpStatusOf(JsonElement payload)
    {
        if (payload.TryGetProperty("authorizationInfo", out var authorization) && authorization.ValueKind == JsonValueKind.Array
            && authorization.EnumerateArray().Any(a => a.TryGetProperty("granted", out var granted) && granted.ValueKind == JsonValueKind.False))
        {
            return 403;
        }

        var code = payload.TryGetProperty("status", out var status) && status.TryGetProperty("code", out var c) && c.TryGetInt32(out var value) ? value : 0;
        return code switch
        {
            0 => 200,
            3 => 400,
            5 => 404,
            6 => 409,
            7 => 403,
            16 => 401,
            _ => 500,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Short(string value) =>
        string.Concat((value.Length > 40 ? value[..40] + "…" : value).Select(c => char.IsControl(c) ? '?' : c));
}
