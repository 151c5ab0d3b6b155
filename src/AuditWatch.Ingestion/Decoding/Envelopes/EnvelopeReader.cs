using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding.Envelopes;

/// <summary>
/// Audit events of managed clusters arrive wrapped: EKS through a CloudWatch Logs subscription (<c>awslogs.data</c>,
/// gzip + base64, holding <c>logEvents[].message</c>), AKS as diagnostic records (<c>records[].properties.log</c>, a
/// JSON string or an object), GKE as Cloud Logging entries (<c>protoPayload</c> AuditLog). Recognised by their top-level
/// keys and unwrapped into the same audit events, from files, webhook bodies and Kafka messages alike.
/// </summary>
internal static class EnvelopeReader
{
    private const int MaxDecompressedBytes = 64 * 1024 * 1024;

    /// <summary>Unwraps the item when it is an envelope; false (nothing added) when it is a plain audit Event.</summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> item, SourcePosition position, List<DecodeResult> output)
    {
        var kind = Classify(item);
        if (kind == EnvelopeKind.None)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(item.ToArray());
            var root = document.RootElement;
            switch (kind)
            {
                case EnvelopeKind.AwsSubscription:
                    UnwrapCloudWatch(Decompress(root.GetProperty("awslogs").GetProperty("data")), position, output);
                    break;
                case EnvelopeKind.CloudWatchPayload:
                    UnwrapLogEvents(root, position, output);
                    break;
                case EnvelopeKind.AzureRecords:
                    UnwrapAzure(root, position, output);
                    break;
                default:
                    output.Add(GkeAuditLog.Read(root, position));
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidDataException or KeyNotFoundException or InvalidOperationException)
        {
            output.Add(DecodeResult.Of(new DecodeError(position, DecodeErrorKind.NotAnEvent, $"malformed {Describe(kind)}: {ex.GetType().Name}")));
        }

        return true;
    }

    /// <summary>Looks at the top-level keys only; a plain Event (which starts with kind or apiVersion) costs one token.</summary>
    private static EnvelopeKind Classify(ReadOnlySpan<byte> item)
    {
        var reader = new Utf8JsonReader(item, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            return reader.Read() ? Classify(reader) : EnvelopeKind.None;
        }
        catch (JsonException)
        {
            // Not JSON at all: the event parser reports it.
            return EnvelopeKind.None;
        }
    }

    /// <summary>Whether the object whose <c>{</c> the reader is on (read on a copy) is an envelope rather than an Event.</summary>
    public static bool IsEnvelope(Utf8JsonReader peek) => Classify(peek) != EnvelopeKind.None;

    private static EnvelopeKind Classify(Utf8JsonReader reader)
    {
        try
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return EnvelopeKind.None;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("kind"u8) || reader.ValueTextEquals("apiVersion"u8) || reader.ValueTextEquals("auditID"u8))
                {
                    return EnvelopeKind.None;
                }

                if (reader.ValueTextEquals("awslogs"u8)) return EnvelopeKind.AwsSubscription;
                if (reader.ValueTextEquals("logEvents"u8)) return EnvelopeKind.CloudWatchPayload;
                if (reader.ValueTextEquals("records"u8)) return EnvelopeKind.AzureRecords;
                if (reader.ValueTextEquals("protoPayload"u8)) return EnvelopeKind.GkeEntry;
                reader.Read();
                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON at all, or a key with an unpaired \u surrogate escape: the event parser reports it.
        }

        return EnvelopeKind.None;
    }

    private static byte[] Decompress(JsonElement data)
    {
        var compressed = Convert.FromBase64String(data.GetString() ?? string.Empty);
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var result = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            if (result.Length + read > MaxDecompressedBytes)
            {
                throw new InvalidDataException("decompressed awslogs.data exceeds 64 MiB");
            }

            result.Write(buffer, 0, read);
        }

        return result.ToArray();
    }

    private static void UnwrapCloudWatch(byte[] payload, SourcePosition position, List<DecodeResult> output)
    {
        using var document = JsonDocument.Parse(payload);
        UnwrapLogEvents(document.RootElement, position, output);
    }

    /// <summary>CloudWatch's DATA_MESSAGE: each log event's message is one audit Event as a JSON string.</summary>
    private static void UnwrapLogEvents(JsonElement payload, SourcePosition position, List<DecodeResult> output)
    {
        if (payload.TryGetProperty("messageType", out var type) && type.GetString() == "CONTROL_MESSAGE")
        {
            return;
        }

        var index = 0;
        foreach (var logEvent in payload.GetProperty("logEvents").EnumerateArray())
        {
            var at = position with { Item = index++ };
            if (logEvent.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                output.Add(AuditEventParser.Parse(Encoding.UTF8.GetBytes(message.GetString()!), at));
            }
            else
            {
                output.Add(DecodeResult.Of(new DecodeError(at, DecodeErrorKind.NotAnEvent, "CloudWatch log event has no message string")));
            }
        }
    }

    /// <summary>Azure diagnostic records of category kube-audit or kube-audit-admin; other categories are not audit events.</summary>
    private static void UnwrapAzure(JsonElement root, SourcePosition position, List<DecodeResult> output)
    {
        var index = 0;
        foreach (var record in root.GetProperty("records").EnumerateArray())
        {
            var at = position with { Item = index++ };
            var category = record.TryGetProperty("category", out var c) ? c.GetString() : null;
            if (category is not ("kube-audit" or "kube-audit-admin"))
            {
                continue;
            }

            if (!record.TryGetProperty("properties", out var properties) || !properties.TryGetProperty("log", out var log))
            {
                output.Add(DecodeResult.Of(new DecodeError(at, DecodeErrorKind.NotAnEvent, "AKS record has no properties.log")));
                continue;
            }

            var bytes = log.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(log.GetString()!) : Encoding.UTF8.GetBytes(log.GetRawText());
            output.Add(AuditEventParser.Parse(bytes, at));
        }
    }

    private static string Describe(EnvelopeKind kind) => kind switch
    {
        EnvelopeKind.AwsSubscription => "CloudWatch Logs subscription record (awslogs.data)",
        EnvelopeKind.CloudWatchPayload => "CloudWatch Logs payload (logEvents)",
        EnvelopeKind.AzureRecords => "AKS diagnostic record (records)",
        _ => "GKE Cloud Logging entry (protoPayload)",
    };

    private enum EnvelopeKind
    {
        None,
        AwsSubscription,
        CloudWatchPayload,
        AzureRecords,
        GkeEntry,
    }
}
