using System.Globalization;
using System.Text;
using System.Text.Json;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

/// <summary>
/// The apiserver's timestamps are parsed by a fast path of their own; whatever it accepts it must read exactly as
/// <see cref="Utf8JsonReader.TryGetDateTimeOffset"/> does, and anything it is unsure of it must leave to that parser.
/// </summary>
public sealed class TimestampTests
{
    [Fact]
    public void The_apiservers_form_reads_as_the_general_parser_reads_it()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var time = new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc);
            var digits = random.Next(0, 8);
            var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
                + (digits == 0 ? string.Empty : "." + time.ToString(digits == 1 ? "%f" : new string('f', digits), CultureInfo.InvariantCulture))
                + "Z";

            Assert.True(Rfc3339Utc.TryParse(Encoding.UTF8.GetBytes(text), out var fast), text);
            Assert.Equal(General(text), fast);
        }
    }

    [Theory]
    [InlineData("2023-02-29T10:00:00Z")]
    [InlineData("2024-13-01T10:00:00Z")]
    [InlineData("2024-04-31T10:00:00Z")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2024-01-01T23:60:00Z")]
    [InlineData("2024-01-01T23:59:60Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2024-01-01T10:00:00")]
    [InlineData("2024-01-01T10:00:00.Z")]
    [InlineData("2024-01-01T10:00:00.12345678Z")]
    [InlineData("2024-01-01T10:00:00+02:00")]
    [InlineData("2024-01-01T10:00:00.5+02:00")]
    [InlineData("2024-01-01 10:00:00Z")]
    [InlineData("2024-1-01T10:00:00Z")]
    [InlineData("2024-01-01T10:00:0aZ")]
    [InlineData("2024-01-01t10:00:00z")]
    [InlineData("")]
    public void Anything_else_is_left_to_the_general_parser(string text)
    {
        Assert.False(Rfc3339Utc.TryParse(Encoding.UTF8.GetBytes(text), out _), text);
    }

    [Fact]
    public void An_event_with_an_offset_or_more_fraction_digits_still_gets_its_time()
    {
        var text = SampleEvents.Get("a1").Replace("2026-11-02T10:00:01.125456Z", "2026-11-02T12:00:01.123456789+02:00", StringComparison.Ordinal);

        var decoded = new AuditStreamDecoder().Decode(Encoding.UTF8.GetBytes(text), "input.jsonl").Single().Event!.Value;

        Assert.Equal(new DateTimeOffset(2026, 11, 2, 10, 0, 1, TimeSpan.Zero).AddTicks(1_234_567), decoded.StageTimestamp);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.000000Z", "9999-12-31")]
    [InlineData("3000-01-01T00:00:00.000000Z", "3000-01-01")]
    [InlineData("0001-01-01T00:00:01.000000Z", "0001-01-01")]
    [InlineData("1969-12-31T23:59:59+00:00", "1969-12-31")]
    public void A_time_no_api_server_can_stamp_costs_only_its_event_and_is_named(string time, string shown)
    {
        // Windows and expiries computed from a time near the end of the calendar overflowed and stopped detection.
        var odd = SampleEvents.Get("odd").Replace("2026-11-02T10:00:01.125456Z", time, StringComparison.Ordinal);
        var text = $"{SampleEvents.Get("a")}\n{odd}\n{SampleEvents.Get("b")}\n";

        foreach (var results in new[] { Decode.Text(text), Decode.Text(SampleEvents.EventList(SampleEvents.Item("a"), odd, SampleEvents.Item("b"))) })
        {
            Assert.Equal(["a", "b"], results.AuditIds());
            var error = Assert.Single(results.Errors());
            Assert.Equal(DecodeErrorKind.TimeOutOfRange, error.Kind);
            Assert.Contains($"'stageTimestamp' {shown} is outside the years 1970-2999", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_last_years_an_api_server_can_stamp_are_read()
    {
        var text = SampleEvents.Get("late").Replace("2026-11-02T10:00:01.125456Z", "2999-12-31T23:59:59.999999Z", StringComparison.Ordinal);

        Assert.Equal(new DateTimeOffset(3000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-10), Assert.Single(Decode.Text(text)).Event!.Value.StageTimestamp);
    }

    private static DateTimeOffset General(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes($"\"{text}\""));
        reader.Read();
        Assert.True(reader.TryGetDateTimeOffset(out var value), text);
        return value.ToUniversalTime();
    }
}
