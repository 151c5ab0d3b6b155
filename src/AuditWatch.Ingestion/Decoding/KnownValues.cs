namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// The values nearly every event carries (kind, apiVersion, stage, level, verb) as constant strings, found with one
/// length switch and a comparison: cheaper than hashing them for <see cref="DecodedValues.Strings"/> on every event.
/// </summary>
internal static class KnownValues
{
    public static string? Of(ReadOnlySpan<byte> value) => value.Length switch
    {
        3 when value.SequenceEqual("get"u8) => "get",
        4 when value.SequenceEqual("list"u8) => "list",
        4 when value.SequenceEqual("None"u8) => "None",
        5 when value.SequenceEqual("Event"u8) => "Event",
        5 when value.SequenceEqual("watch"u8) => "watch",
        5 when value.SequenceEqual("patch"u8) => "patch",
        5 when value.SequenceEqual("Panic"u8) => "Panic",
        6 when value.SequenceEqual("create"u8) => "create",
        6 when value.SequenceEqual("update"u8) => "update",
        6 when value.SequenceEqual("delete"u8) => "delete",
        7 when value.SequenceEqual("Request"u8) => "Request",
        8 when value.SequenceEqual("Metadata"u8) => "Metadata",
        15 when value.SequenceEqual("audit.k8s.io/v1"u8) => "audit.k8s.io/v1",
        15 when value.SequenceEqual("RequestReceived"u8) => "RequestReceived",
        15 when value.SequenceEqual("ResponseStarted"u8) => "ResponseStarted",
        15 when value.SequenceEqual("RequestResponse"u8) => "RequestResponse",
        16 when value.SequenceEqual("ResponseComplete"u8) => "ResponseComplete",
        16 when value.SequenceEqual("deletecollection"u8) => "deletecollection",
        _ => null,
    };
}
