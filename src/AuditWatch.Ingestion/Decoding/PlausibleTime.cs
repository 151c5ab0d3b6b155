namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// The times an API server can have stamped. Near the ends of <see cref="DateTimeOffset"/>'s range, the windows and
/// expiries computed from a time would overflow it and stop detection.
/// </summary>
internal static class PlausibleTime
{
    private static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Limit = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool Contains(DateTimeOffset time) => time >= Earliest && time < Limit;

    public static string Outside(string field, DateTimeOffset time) =>
        $"'{field}' {time.UtcDateTime:yyyy-MM-dd} is outside the years 1970-2999 an API server can stamp";
}
