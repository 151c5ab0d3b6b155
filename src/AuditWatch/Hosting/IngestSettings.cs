namespace AuditWatch.Hosting;

/// <summary>The <c>Queue</c> section: the bounded hand-off between sources and detection.</summary>
public sealed class IngestSettings
{
    public const string Section = "Queue";

    /// <summary>Events accepted but not yet detected; past it the webhook answers 429 and files wait.</summary>
    public long CapacityEvents { get; set; } = 200_000;
}
