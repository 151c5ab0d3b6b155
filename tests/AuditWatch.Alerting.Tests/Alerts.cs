using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Tests;

internal static class Alerts
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    public static Alert Make(string rule = "secret-read-burst", string user = "mallory", string incident = "i1", Severity severity = Severity.High, AlertStatus status = AlertStatus.Firing, int suppressed = 0) => new()
    {
        Rule = rule,
        Title = "One identity read many distinct Secrets",
        Severity = severity,
        User = user,
        FirstSeen = T0,
        LastSeen = T0.AddSeconds(80),
        Count = 27,
        DistinctObjects = 27,
        Objects = ["payments/stripe-key", "vault/root-token"],
        Namespaces = ["payments", "vault"],
        SourceIps = ["203.0.113.50"],
        UserAgents = ["python-requests/2.31.0"],
        AuditIds = ["5867dbf3-0303-43e3-a9e8-23c4968d4d9b"],
        Summary = $"{user} read 27 distinct Secrets",
        Status = status,
        IncidentId = incident,
        Outcomes = new OutcomeCounts(24, 3, 0, 0),
        SuppressedRepeats = suppressed,
        Labels = new Dictionary<string, string> { ["mitre_attack"] = "T1552.007" },
    };
}
