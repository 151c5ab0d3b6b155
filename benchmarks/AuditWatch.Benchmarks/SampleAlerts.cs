using System.Globalization;
using AuditWatch.Core.Alerts;

namespace AuditWatch.Benchmarks;

/// <summary>Alerts of a realistic size, shaped like the Alerting tests' ones.</summary>
internal static class SampleAlerts
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A Secret-read burst: 27 distinct Secrets in two namespaces, with the first ten audit IDs.</summary>
    public static Alert SecretReadBurst() => new()
    {
        Rule = "secret-read-burst",
        Title = "One identity read many distinct Secrets",
        Severity = Severity.High,
        User = "system:serviceaccount:ci:deployer",
        FirstSeen = Start,
        LastSeen = Start.AddSeconds(80),
        Count = 31,
        DistinctObjects = 27,
        Objects = [.. Enumerable.Range(0, 27).Select(i => $"{(i % 2 == 0 ? "payments" : "vault")}/app-credentials-{i:00}")],
        Namespaces = ["payments", "vault"],
        SourceIps = ["203.0.113.50"],
        UserAgents = ["python-requests/2.31.0"],
        AuditIds = [.. Enumerable.Range(0, Alert.MaxAuditIds).Select(i => $"5867dbf3-0303-43e3-a9e8-23c4968d4d{i.ToString("x2", CultureInfo.InvariantCulture)}")],
        Summary = "system:serviceaccount:ci:deployer read 27 distinct Secrets in 80 s",
        Status = AlertStatus.Firing,
        IncidentId = "secret-read-burst-4f1c2a9e",
        Outcomes = new OutcomeCounts(28, 3, 0, 0),
        Labels = new Dictionary<string, string> { ["mitre_attack"] = "T1552.007" },
        RunbookUrl = "https://runbooks.example/auditwatch/secret-read-burst",
    };
}
