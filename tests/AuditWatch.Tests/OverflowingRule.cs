using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;

namespace AuditWatch.Tests;

/// <summary>
/// The one way left to make a rule throw: near the end of the calendar, a two-hour window's group expiry overflows it.
/// The decoder refuses such stamps, so the reads are built in process.
/// </summary>
internal static class OverflowingRule
{
    public const string Id = "two-hour-window";

    public static readonly DateTimeOffset NearTheEnd = new(9999, 12, 31, 22, 30, 0, TimeSpan.Zero);

    public static IReadOnlyList<Rule> Rules { get; } = RuleSetLoader.Load([("reads.yaml", $"""
        id: {Id}
        title: Secret reads over two hours
        severity: low
        kind: threshold
        where: {"{"} field: secret.read, equals: true {"}"}
        window: 2h
        threshold: 1000
        """)]).Enabled;

    private static readonly AuditEvent SecretRead = new AuditStreamDecoder()
        .Decode(File.ReadAllBytes(CliRunner.Sample("secret-burst.jsonl")), "test")
        .Select(result => result.Event!.Value)
        .First(e => e.ObjectRef?.Resource == "secrets");

    /// <summary>A Secret read at <paramref name="time"/>, its audit ID ending in <paramref name="number"/>.</summary>
    public static AuditEvent Read(int number, DateTimeOffset time) => SecretRead with
    {
        AuditId = AuditId.Parse($"00000000-0000-4000-8000-{number:D12}"),
        RequestReceivedTimestamp = time,
        StageTimestamp = time,
    };
}
