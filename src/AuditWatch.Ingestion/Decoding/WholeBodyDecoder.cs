using System.Text.Json;
using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// The fast path for a body that is wholly in memory (a webhook request, a Kafka message): one
/// <see cref="Utf8JsonReader"/> pass that parses each event in place, instead of framing items first and parsing
/// them again. It handles well-formed JSON lines, concatenated Events, an EventList and a top-level array of Events;
/// anything else (broken JSON, envelopes, items that are not objects, an unrecognised shape) returns false, having
/// appended nothing, and the framer, which reports every such problem precisely, decodes the body instead.
/// </summary>
internal static class WholeBodyDecoder
{
    private const int MaxDepth = 64;

    /// <summary>Appends the body's results to <paramref name="results"/>, or nothing when it returns false.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> body, string source, long firstLine, int maxItemBytes, List<DecodeResult> results)
    {
        var appendedFrom = results.Count;
        if (!TryAppend(body, source, firstLine, maxItemBytes, results) || results.Count == appendedFrom)
        {
            results.RemoveRange(appendedFrom, results.Count - appendedFrom);
            return false;
        }

        return true;
    }

    private static bool TryAppend(ReadOnlySpan<byte> body, string source, long firstLine, int maxItemBytes, List<DecodeResult> results)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = MaxDepth });
        var lines = new LineCounter(body, firstLine);
        try
        {
            while (reader.Read())
            {
                var ok = reader.TokenType switch
                {
                    // A top-level array after a value on the same line is garbage to the framer, which reports it.
                    JsonTokenType.StartArray => StartsLine(body, (int)reader.TokenStartIndex) && Items(ref reader, body, source, ref lines, maxItemBytes, results),
                    JsonTokenType.StartObject => Shape(reader) switch
                    {
                        TopLevel.Event => Item(ref reader, body, source, ref lines, -1, maxItemBytes, results),
                        TopLevel.EventList => EventList(ref reader, body, source, ref lines, maxItemBytes, results),
                        _ => false,
                    },
                    _ => false,
                };
                if (!ok)
                {
                    return false;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a property name holding an unpaired \u surrogate escape, found when compared.
            return false;
        }

        return true;
    }

    private enum TopLevel
    {
        Unknown,
        Event,
        EventList,
    }

    /// <summary>Looks at the first properties of a top-level object (on a copy of the reader) to tell what it is.</summary>
    private static TopLevel Shape(Utf8JsonReader peek)
    {
        for (var i = 0; i < 3 && peek.Read() && peek.TokenType == JsonTokenType.PropertyName; i++)
        {
            if (peek.ValueTextEquals("items"u8))
            {
                return TopLevel.EventList;
            }

            if (peek.ValueTextEquals("kind"u8))
            {
                peek.Read();
                return peek.TokenType != JsonTokenType.String ? TopLevel.Unknown
                    : peek.ValueTextEquals("EventList"u8) ? TopLevel.EventList
                    : peek.ValueTextEquals("Event"u8) ? TopLevel.Event
                    : TopLevel.Unknown;
            }

            if (peek.ValueTextEquals("apiVersion"u8))
            {
                peek.Read();
                peek.Skip();
                continue;
            }

            return EventProperties.Of(ref peek) is EventProperty.Other or EventProperty.Kind or EventProperty.ApiVersion
                ? TopLevel.Unknown
                : TopLevel.Event;
        }

        return TopLevel.Unknown;
    }

    private static bool EventList(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string source, ref LineCounter lines, int maxItemBytes, List<DecodeResult> results)
    {
        var start = (int)reader.TokenStartIndex;
        var sawItems = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray || !Items(ref reader, body, source, ref lines, maxItemBytes, results))
            {
                return false;
            }

            sawItems = true;
        }

        // A list without items says nothing; the framer's path decides what to report for it. A '{' in column 0 inside
        // the list may be a cut-off line's successor to the framer, which then decides too.
        return sawItems && !HasObjectInColumnZero(body[start..(int)reader.BytesConsumed]);
    }

    private static bool StartsLine(ReadOnlySpan<byte> body, int index)
    {
        var before = body[..index].TrimEnd(" \t\r"u8);
        return before.IsEmpty || before[^1] == '\n' || before.SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
    }

    private static bool HasObjectInColumnZero(ReadOnlySpan<byte> json) => json.IndexOf("\n{"u8) >= 0;

    private static bool Items(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string source, ref LineCounter lines, int maxItemBytes, List<DecodeResult> results)
    {
        for (var index = 0L; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            if (reader.TokenType != JsonTokenType.StartObject || !Item(ref reader, body, source, ref lines, index, maxItemBytes, results))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Item(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string source, ref LineCounter lines, long index, int maxItemBytes, List<DecodeResult> results)
    {
        if (!IsPlainEvent(reader))
        {
            return false;
        }

        var start = reader.TokenStartIndex;
        var position = new SourcePosition(source, lines.At(start), index);
        var result = AuditEventParser.ParseInPlace(ref reader, body, position);
        if (result.Error is not null)
        {
            // A bad item is rare: the framer's path reports it, so that both paths always give the same results.
            return false;
        }

        var end = reader.BytesConsumed;
        if (index < 0 && HasObjectInColumnZero(body[(int)start..(int)end]))
        {
            // A '{' in column 0 inside a top-level event: the framer takes that for a cut-off line followed by a new
            // one, and it decides what such a body holds.
            return false;
        }

        results.Add(end - start > maxItemBytes
            ? DecodeResult.Of(new DecodeError(position, DecodeErrorKind.TooLarge, $"item exceeds the limit of {maxItemBytes} bytes"))
            : result);
        return true;
    }

    /// <summary>Envelopes (EKS, AKS, GKE) are recognised as the framer's path recognises them, which unwraps them.</summary>
    private static bool IsPlainEvent(Utf8JsonReader peek) => !Envelopes.EnvelopeReader.IsEnvelope(peek);

    /// <summary>Line numbers of item starts, counted forward from the previous item (items come in order).</summary>
    private ref struct LineCounter(ReadOnlySpan<byte> body, long firstLine)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private long _line = firstLine;
        private long _counted;

        public long At(long offset)
        {
            _line += _body.Slice((int)_counted, (int)(offset - _counted)).Count((byte)'\n');
            _counted = offset;
            return _line;
        }
    }
}
