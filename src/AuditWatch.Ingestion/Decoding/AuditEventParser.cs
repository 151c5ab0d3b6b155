using System.Text.Json;
using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// Reads one audit Event object with <see cref="Utf8JsonReader"/>, taking only the fields detection and evidence need.
/// Bodies of sensitive requests are skipped unread: only the fact that they were present is kept.
/// </summary>
internal static class AuditEventParser
{
    private const int MaxDepth = 64;
    private const string InvalidText = "invalid UTF-8 or an unpaired \\u surrogate escape in a string";

    public static DecodeResult Parse(ReadOnlySpan<byte> json, SourcePosition position)
    {
        try
        {
            return DecodeResult.Of(ParseEvent(json), position);
        }
        catch (EventShapeException ex)
        {
            return DecodeResult.Of(new DecodeError(position, ex.Kind, ex.Message));
        }
        catch (JsonException ex)
        {
            return DecodeResult.Of(new DecodeError(position, DecodeErrorKind.InvalidJson, $"invalid JSON: {ex.Message}"));
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader checks the encoding and the escapes of a string only when its value is taken or compared.
            return DecodeResult.Of(new DecodeError(position, DecodeErrorKind.InvalidJson, InvalidText));
        }
    }

    /// <summary>
    /// Parses the event whose <c>{</c> the reader is on, in place inside <paramref name="json"/> (the reader's whole
    /// input), leaving the reader on its <c>}</c>. A problem with the event is a result; broken JSON is an exception.
    /// </summary>
    public static DecodeResult ParseInPlace(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, SourcePosition position)
    {
        var start = reader;
        try
        {
            return DecodeResult.Of(ParseObject(ref reader, json), position);
        }
        catch (Exception ex) when (ex is EventShapeException or InvalidOperationException)
        {
            // The reader stopped somewhere inside the event: go past it from its start, so the next one can be read.
            reader = start;
            reader.Skip();
            return DecodeResult.Of(new DecodeError(position, ex is EventShapeException shape ? shape.Kind : DecodeErrorKind.InvalidJson,
                ex is EventShapeException ? ex.Message : InvalidText));
        }
    }

    private static AuditEvent ParseEvent(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new EventShapeException(DecodeErrorKind.NotAnObject, "item is not a JSON object");
        }

        return ParseObject(ref reader, json);
    }

    private static AuditEvent ParseObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {

        string? kind = null, apiVersion = null, stage = null, level = null, requestUri = null, verb = null, userAgent = null;
        Annotations annotations = default;
        AuditId auditId = default;
        UserInfo? user = null, impersonated = null;
        IReadOnlyList<string> sourceIps = [];
        ObjectReference? objectRef = null;
        int? responseCode = null;
        DateTimeOffset? received = null, stageTime = null, legacyTime = null;
        Range requestBody = default, responseBody = default;
        var hasRequestBody = false;
        var hasResponseBody = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            switch (EventProperties.Of(ref reader))
            {
                case EventProperty.Kind: kind = ReadPooledString(ref reader, "kind"); break;
                case EventProperty.ApiVersion: apiVersion = ReadPooledString(ref reader, "apiVersion"); break;
                case EventProperty.AuditId: auditId = ReadAuditId(ref reader); break;
                case EventProperty.Stage: stage = ReadPooledString(ref reader, "stage"); break;
                case EventProperty.Level: level = ReadPooledString(ref reader, "level"); break;
                case EventProperty.RequestUri: requestUri = ReadPooledString(ref reader, "requestURI"); break;
                case EventProperty.Verb: verb = ReadPooledString(ref reader, "verb"); break;
                case EventProperty.UserAgent: userAgent = ReadPooledString(ref reader, "userAgent"); break;
                case EventProperty.User: user = ReadCachedUser(ref reader, json, "user"); break;
                case EventProperty.ImpersonatedUser: impersonated = ReadCachedUser(ref reader, json, "impersonatedUser"); break;
                case EventProperty.SourceIps: sourceIps = ReadCachedAddresses(ref reader, json); break;
                case EventProperty.ObjectRef: objectRef = ReadCachedObjectRef(ref reader, json); break;
                case EventProperty.ResponseStatus: responseCode = ReadResponseCode(ref reader); break;
                case EventProperty.Annotations: annotations = ReadAnnotations(ref reader); break;
                case EventProperty.RequestReceivedTimestamp: received = ReadTime(ref reader, "requestReceivedTimestamp"); break;
                case EventProperty.StageTimestamp: stageTime = ReadTime(ref reader, "stageTimestamp"); break;
                case EventProperty.Timestamp: legacyTime = ReadTime(ref reader, "timestamp"); break;
                case EventProperty.RequestObject: hasRequestBody = SkipBody(ref reader, out requestBody); break;
                case EventProperty.ResponseObject: hasResponseBody = SkipBody(ref reader, out responseBody); break;
                default:
                    reader.Read();
                    reader.Skip();
                    break;
            }
        }

        if (kind is not null && kind != "Event")
        {
            throw new EventShapeException(DecodeErrorKind.NotAnEvent, $"not an audit Event: kind is {Quote(kind)}");
        }

        if (apiVersion is not null && !apiVersion.StartsWith("audit.k8s.io/", StringComparison.Ordinal))
        {
            throw new EventShapeException(DecodeErrorKind.NotAnEvent, $"not an audit Event: apiVersion is {Quote(apiVersion)}");
        }

        var time = stageTime ?? legacyTime ?? received
            ?? throw Missing("stageTimestamp (or timestamp)");

        var sensitive = SensitiveResources.CarriesCredentials(objectRef);

        // Events forwarded by another AuditWatch carry what it extracted as annotations instead of bodies.
        var payload = annotations.Payload;
        var facts = annotations.Facts ?? ObjectFacts.Empty;
        if (sensitive)
        {
            if (hasRequestBody) payload |= SecretPayload.RequestObject;
            if (hasResponseBody) payload |= SecretPayload.ResponseObject;
        }
        else if (hasRequestBody && objectRef?.Resource is { } resource)
        {
            facts = ObjectFactsReader.Read(json[requestBody], resource);
        }

        // Checked in this order so that an event missing several fields is reported by the first of them.
        var id = auditId.IsNone ? throw Missing("auditID") : auditId;
        var parsedStage = ParseStage(stage ?? throw Missing("stage"));
        var description = DecodedValues.Descriptions.Get(new RequestDescriptionParts(
            Verb: verb ?? throw Missing("verb"),
            User: user ?? throw Missing("user"),
            Stage: parsedStage,
            Level: level,
            RequestUri: requestUri,
            ImpersonatedUser: impersonated,
            SourceIps: sourceIps,
            UserAgent: userAgent,
            ObjectRef: objectRef,
            ResponseCode: responseCode,
            AuthorizationDecision: annotations.Decision,
            SecretPayload: payload,
            RequestFacts: facts));
        return new AuditEvent(description, id, time, received);
    }

    private static AuditStage ParseStage(string stage) => stage switch
    {
        "ResponseComplete" => AuditStage.ResponseComplete,
        "ResponseStarted" => AuditStage.ResponseStarted,
        "RequestReceived" => AuditStage.RequestReceived,
        "Panic" => AuditStage.Panic,
        _ => throw new EventShapeException(DecodeErrorKind.WrongType, $"unknown stage {Quote(stage)}"),
    };

    private static bool SkipBody(ref Utf8JsonReader reader, out Range range)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        var present = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray;
        reader.Skip();
        range = start..(int)reader.BytesConsumed;
        return present;
    }

    /// <summary>No audit ID (<see cref="AuditId.IsNone"/>) for null and for an empty string.</summary>
    private static AuditId ReadAuditId(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String when reader.ValueIsEscaped || reader.HasValueSequence => reader.GetString() is { Length: > 0 } text ? AuditId.Parse(text) : default,
            JsonTokenType.String when reader.ValueSpan.IsEmpty => default,
            JsonTokenType.String => AuditId.TryFromUtf8(reader.ValueSpan, out var auditId) ? auditId : throw new InvalidOperationException("invalid UTF-8 in auditID"),
            JsonTokenType.Null => default,
            _ => throw WrongType("auditID", "a string", reader.TokenType),
        };
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw WrongType(field, "a string", reader.TokenType),
        };
    }

    /// <summary>A string that events repeat, taken from <see cref="DecodedValues.Strings"/> when it needs no unescaping.</summary>
    private static string? ReadPooledString(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => PooledValue(ref reader),
            JsonTokenType.Null => null,
            _ => throw WrongType(field, "a string", reader.TokenType),
        };
    }

    private static string PooledValue(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped || reader.HasValueSequence
            ? reader.GetString()!
            : KnownValues.Of(reader.ValueSpan) ?? DecodedValues.Strings.Get(reader.ValueSpan, DecodedValues.DecodeString);

    /// <summary>
    /// The same identity sends the same user object over and over: it is decoded once and shared, keyed by its bytes.
    /// </summary>
    private static UserInfo? ReadCachedUser(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string field)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ReadUserValue(ref reader, field);
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var raw = json[start..(int)reader.BytesConsumed];
        return DecodedValues.Users.Get(raw, field == "user" ? DecodeUser : DecodeImpersonatedUser);
    }

    private static readonly Func<ReadOnlySpan<byte>, UserInfo> DecodeUser = bytes => DecodeUserObject(bytes, "user");

    private static readonly Func<ReadOnlySpan<byte>, UserInfo> DecodeImpersonatedUser = bytes => DecodeUserObject(bytes, "impersonatedUser");

    private static UserInfo DecodeUserObject(ReadOnlySpan<byte> bytes, string field)
    {
        var inner = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
        inner.Read();
        return ReadUserValue(ref inner, field)!;
    }

    private static IReadOnlyList<string> ReadCachedAddresses(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return ReadStringArrayValue(ref reader, "sourceIPs");
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var raw = json[start..(int)reader.BytesConsumed];
        return DecodedValues.AddressLists.Get(raw, bytes =>
        {
            var inner = new Utf8JsonReader(bytes);
            inner.Read();
            return ReadStringArrayValue(ref inner, "sourceIPs");
        });
    }

    private static DateTimeOffset? ReadTime(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw WrongType(field, "an RFC 3339 timestamp", reader.TokenType);
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence && Rfc3339Utc.TryParse(reader.ValueSpan, out var utc))
        {
            return InRange(utc, field);
        }

        return reader.TryGetDateTimeOffset(out var value)
            ? InRange(value.ToUniversalTime(), field)
            : throw new EventShapeException(DecodeErrorKind.WrongType, $"'{field}' is not an RFC 3339 timestamp");
    }

    private static DateTimeOffset InRange(DateTimeOffset time, string field) =>
        PlausibleTime.Contains(time) ? time : throw new EventShapeException(DecodeErrorKind.TimeOutOfRange, PlausibleTime.Outside(field, time));

    private static IReadOnlyList<string> ReadStringArray(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return ReadStringArrayValue(ref reader, field);
    }

    private static IReadOnlyList<string> ReadStringArrayValue(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(field, "an array of strings", reader.TokenType);
        }

        var values = new List<string>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType == JsonTokenType.String
                ? PooledValue(ref reader)
                : throw WrongType(field, "an array of strings", reader.TokenType));
        }

        return values;
    }

    private static UserInfo? ReadUserValue(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(field, "an object", reader.TokenType);
        }

        string? username = null, uid = null;
        IReadOnlyList<string> groups = [];
        IReadOnlyDictionary<string, IReadOnlyList<string>> extra = UserInfo.NoExtra;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("username"u8)) username = ReadPooledString(ref reader, $"{field}.username");
            else if (reader.ValueTextEquals("uid"u8)) uid = ReadPooledString(ref reader, $"{field}.uid");
            else if (reader.ValueTextEquals("groups"u8)) groups = ReadStringArray(ref reader, $"{field}.groups");
            else if (reader.ValueTextEquals("extra"u8)) extra = ReadExtra(ref reader, $"{field}.extra");
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // The apiserver omits an empty username; an anonymous request still names system:anonymous.
        return new UserInfo(username ?? string.Empty, uid, groups, extra);
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadExtra(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return UserInfo.NoExtra;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(field, "an object", reader.TokenType);
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = PooledValue(ref reader);
            extra[key] = ReadStringArray(ref reader, field);
        }

        return extra;
    }

    /// <summary>Objects are read again and again (leases, the same Secret): decoded once, keyed by their bytes.</summary>
    private static ObjectReference? ReadCachedObjectRef(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ReadObjectRefValue(ref reader);
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return DecodedValues.ObjectRefs.Get(json[start..(int)reader.BytesConsumed], bytes =>
        {
            var inner = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
            inner.Read();
            return ReadObjectRefValue(ref inner)!;
        });
    }

    private static ObjectReference? ReadObjectRefValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType("objectRef", "an object", reader.TokenType);
        }

        string? resource = null, ns = null, name = null, group = null, version = null, subresource = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resource"u8)) resource = ReadPooledString(ref reader, "objectRef.resource");
            else if (reader.ValueTextEquals("namespace"u8)) ns = ReadPooledString(ref reader, "objectRef.namespace");
            else if (reader.ValueTextEquals("name"u8)) name = ReadPooledString(ref reader, "objectRef.name");
            else if (reader.ValueTextEquals("apiGroup"u8)) group = ReadPooledString(ref reader, "objectRef.apiGroup");
            else if (reader.ValueTextEquals("apiVersion"u8)) version = ReadPooledString(ref reader, "objectRef.apiVersion");
            else if (reader.ValueTextEquals("subresource"u8)) subresource = ReadPooledString(ref reader, "objectRef.subresource");
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ObjectReference(resource, ns, name, group, version, subresource);
    }

    private static int? ReadResponseCode(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType("responseStatus", "an object", reader.TokenType);
        }

        int? code = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value)
                    ? value
                    : throw WrongType("responseStatus.code", "an integer", reader.TokenType);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return code;
    }

    private static Annotations ReadAnnotations(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType("annotations", "an object", reader.TokenType);
        }

        string? decision = null, secrets = null, roleRef = null, subjects = null, grants = null, payload = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("authorization.k8s.io/decision"u8)) decision = ReadPooledString(ref reader, "annotations");
            else if (reader.ValueTextEquals(Forwarding.AuditEventWriter.SecretPayloadAnnotation)) payload = ReadString(ref reader, "annotations");
            else if (reader.ValueTextEquals(Forwarding.AuditEventWriter.ReferencedSecretsAnnotation)) secrets = ReadString(ref reader, "annotations");
            else if (reader.ValueTextEquals(Forwarding.AuditEventWriter.RoleRefAnnotation)) roleRef = ReadString(ref reader, "annotations");
            else if (reader.ValueTextEquals(Forwarding.AuditEventWriter.SubjectsAnnotation)) subjects = ReadString(ref reader, "annotations");
            else if (reader.ValueTextEquals(Forwarding.AuditEventWriter.GrantsSecretReadAnnotation)) grants = ReadString(ref reader, "annotations");
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        ObjectFacts? facts = null;
        if (secrets is not null || roleRef is not null || subjects is not null || grants is not null)
        {
            var slash = roleRef?.IndexOf('/', StringComparison.Ordinal) ?? -1;
            facts = new ObjectFacts(
                secrets?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [],
                slash > 0 ? roleRef![..slash] : null,
                slash > 0 ? roleRef![(slash + 1)..] : null,
                subjects?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [],
                grants == "true");
        }

        return new Annotations(decision, Enum.TryParse<SecretPayload>(payload, out var parsed) ? parsed : SecretPayload.None, facts);
    }

    private readonly record struct Annotations(string? Decision, SecretPayload Payload, ObjectFacts? Facts);

    private static EventShapeException Missing(string field) =>
        new(DecodeErrorKind.NotAnEvent, $"not an audit Event: '{field}' is missing");

    private static EventShapeException WrongType(string field, string expected, JsonTokenType found) =>
        new(DecodeErrorKind.WrongType, $"'{field}' must be {expected}, found {found}");

    /// <summary>Quotes a short, printable excerpt of a value that came from the input.</summary>
    private static string Quote(string value)
    {
        const int max = 40;
        var shown = value.Length > max ? value[..max] + "…" : value;
        return "'" + string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c)) + "'";
    }

    private sealed class EventShapeException(DecodeErrorKind kind, string message) : Exception(message)
    {
        public DecodeErrorKind Kind { get; } = kind;
    }
}
