namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// The one timestamp form the apiserver writes, <c>2006-01-02T15:04:05.999999Z</c> (UTC, up to seven fraction
/// digits), parsed without the general ISO 8601 machinery of <see cref="System.Text.Json.Utf8JsonReader"/>. Anything
/// else, offsets included, is left to the caller's general parser.
/// </summary>
internal static class Rfc3339Utc
{
    private const int SecondsLength = 19;
    private const int MaxFractionDigits = 7;

    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < SecondsLength + 1 || text.Length > SecondsLength + 2 + MaxFractionDigits || text[^1] != (byte)'Z'
            || text[4] != (byte)'-' || text[7] != (byte)'-' || text[10] != (byte)'T' || text[13] != (byte)':' || text[16] != (byte)':')
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long fractionTicks = 0;
        var rest = text[SecondsLength..^1];
        if (rest.Length > 0)
        {
            if (rest.Length < 2 || rest[0] != (byte)'.' || !TryDigits(rest[1..], out var fraction))
            {
                return false;
            }

            fractionTicks = fraction;
            for (var digits = rest.Length - 1; digits < MaxFractionDigits; digits++)
            {
                fractionTicks *= 10;
            }
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fractionTicks;
        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
