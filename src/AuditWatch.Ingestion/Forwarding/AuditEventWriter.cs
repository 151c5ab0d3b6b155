using System.Globalization;
using System.Text.Json;
using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Forwarding;

/// <summary>
/// Writes a decoded event back as an <c>audit.k8s.io/v1</c> Event, for forwarding to Kafka. Only what was decoded is
/// written, so bodies of Secrets never travel; the facts extracted from other bodies travel as <c>auditwatch.io/</c>
/// annotations, which the parser reads back.
/// </summary>
public static class AuditEventWriter
{
    public const string SecretPayloadAnnotation = "auditwatch.io/secret-payload";
    public const string ReferencedSecretsAnnotation = "auditwatch.io/referenced-secrets";
    public const string RoleRefAnnotation = "auditwatch.io/role-ref";
    public const string SubjectsAnnotation = "auditwatch.io/subjects";
    public const string GrantsSecretReadAnnotation = "auditwatch.io/grants-secret-read";
    private const string Time = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static byte[] Write(AuditEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", "Event");
            json.WriteString("apiVersion", "audit.k8s.io/v1");
            WriteIfSet(json, "level", e.Level);
            if (e.AuditId.TryGetUuid(out var uuid))
            {
                json.WriteString("auditID", uuid);
            }
            else
            {
                json.WriteString("auditID", e.AuditId.ToString());
            }

            json.WriteString("stage", e.Stage.ToString());
            WriteIfSet(json, "requestURI", e.RequestUri);
            json.WriteString("verb", e.Verb);
            WriteUser(json, "user", e.User);
            if (e.ImpersonatedUser is { } impersonated)
            {
                WriteUser(json, "impersonatedUser", impersonated);
            }

            WriteList(json, "sourceIPs", e.SourceIps);
            WriteIfSet(json, "userAgent", e.UserAgent);
            if (e.ObjectRef is { } o)
            {
                json.WriteStartObject("objectRef");
                WriteIfSet(json, "resource", o.Resource);
                WriteIfSet(json, "namespace", o.Namespace);
                WriteIfSet(json, "name", o.Name);
                WriteIfSet(json, "apiGroup", o.ApiGroup);
                WriteIfSet(json, "apiVersion", o.ApiVersion);
                WriteIfSet(json, "subresource", o.Subresource);
                json.WriteEndObject();
            }

            if (e.ResponseCode is { } code)
            {
                json.WriteStartObject("responseStatus");
                json.WriteNumber("code", code);
                json.WriteEndObject();
            }

            if (e.RequestReceivedTimestamp is { } received)
            {
                json.WriteString("requestReceivedTimestamp", received.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture));
            }

            json.WriteString("stageTimestamp", e.StageTimestamp.UtcDateTime.ToString(Time, CultureInfo.InvariantCulture));
            WriteAnnotations(json, e);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteAnnotations(Utf8JsonWriter json, AuditEvent e)
    {
        var facts = e.RequestFacts;
        json.WriteStartObject("annotations");
        WriteIfSet(json, "authorization.k8s.io/decision", e.AuthorizationDecision);
        if (e.SecretPayload != SecretPayload.None)
        {
            json.WriteString(SecretPayloadAnnotation, e.SecretPayload.ToString());
        }

        if (facts.ReferencedSecrets.Count > 0)
        {
            json.WriteString(ReferencedSecretsAnnotation, string.Join(",", facts.ReferencedSecrets));
        }

        if (facts.RoleRefName is not null)
        {
            json.WriteString(RoleRefAnnotation, $"{facts.RoleRefKind}/{facts.RoleRefName}");
        }

        if (facts.Subjects.Count > 0)
        {
            json.WriteString(SubjectsAnnotation, string.Join(",", facts.Subjects));
        }

        if (facts.GrantsSecretRead)
        {
            json.WriteString(GrantsSecretReadAnnotation, "true");
        }

        json.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter json, string name, UserInfo user)
    {
        json.WriteStartObject(name);
        json.WriteString("username", user.Username);
        WriteIfSet(json, "uid", user.Uid);
        WriteList(json, "groups", user.Groups);
        if (user.Extra.Count > 0)
        {
            json.WriteStartObject("extra");
            foreach (var (key, values) in user.Extra)
            {
                WriteList(json, key, values);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
