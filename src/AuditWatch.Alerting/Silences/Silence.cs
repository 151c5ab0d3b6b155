using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Silences;

/// <summary>Mutes alerts that match every matcher, from StartsAt until EndsAt.</summary>
public sealed record Silence(string Id, IReadOnlyList<string> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment, string CreatedBy)
{
    public bool IsActive(DateTimeOffset now) => StartsAt <= now && now < EndsAt;

    public bool Matches(Alert alert, IReadOnlyList<Matcher> parsed) => parsed.All(m => m.Matches(alert));
}
