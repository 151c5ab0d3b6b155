using AuditWatch.Core.Alerts;

namespace AuditWatch.Rules.Testing;

/// <summary>What one incident must show on its final tally; unset parts are not checked.</summary>
public sealed record ExpectedIncident(string? User, int? Count, int? Distinct, Severity? Severity, string? Impersonated, long Line)
{
    public bool Matches(Alert alert) =>
        (User is null || User == alert.User)
        && (Count is null || Count == alert.Count)
        && (Distinct is null || Distinct == alert.DistinctObjects)
        && (Severity is null || Severity == alert.Severity)
        && (Impersonated is null || Impersonated == alert.ImpersonatedUser);

    public override string ToString()
    {
        var parts = new List<string>();
        if (User is not null) parts.Add($"user {User}");
        if (Count is not null) parts.Add($"count {Count}");
        if (Distinct is not null) parts.Add($"distinct {Distinct}");
        if (Severity is not null) parts.Add($"severity {Severity.ToString()!.ToLowerInvariant()}");
        if (Impersonated is not null) parts.Add($"impersonated {Impersonated}");
        return parts.Count == 0 ? "any incident" : string.Join(", ", parts);
    }
}
