namespace AuditWatch.Detection.Detectors.DistinctReads;

/// <summary>"One identity reads at least <see cref="Threshold"/> distinct Secrets within <see cref="Window"/> of event time."</summary>
public sealed record DistinctReadsOptions
{
    public const string RuleId = "secret-read-burst";

    public int Threshold { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>While an incident goes on, a "still going" update is sent at most this often.</summary>
    public TimeSpan Suppression { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An identity with no Secret read for this long (event time) is forgotten and its incident resolved. Nothing of
    /// its window is left by then, as it must be longer than <see cref="Window"/> (a read exactly one window after the
    /// last still shares its window).
    /// </summary>
    public TimeSpan IdleExpiry { get; init; } = TimeSpan.FromMinutes(6);
}
