namespace AuditWatch.Alerting.Delivery;

/// <summary>The <c>Delivery</c> section: retries, queues and the dead letter, the same for every sink.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>With the default delays, ten retries ride out a receiver down for about five minutes (1+2+4+…+60 s).</summary>
    public int MaxRetries { get; set; } = 10;

    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A receiver's Retry-After is honoured up to this long.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Notifications waiting per sink; past it a notification goes straight to the dead letter.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>JSON-lines file of notifications that could not be delivered; default: dead-letter.jsonl in the data directory.</summary>
    public string? DeadLetterPath { get; set; }

    public IEnumerable<string> Validate()
    {
        if (MaxRetries < 0) yield return $"Delivery:MaxRetries must not be negative, not {MaxRetries}";
        if (InitialDelay <= TimeSpan.Zero || MaxDelay < InitialDelay) yield return "Delivery:InitialDelay must be positive and at most Delivery:MaxDelay";
        if (AttemptTimeout <= TimeSpan.Zero) yield return "Delivery:AttemptTimeout must be positive";
        if (QueueCapacity <= 0) yield return $"Delivery:QueueCapacity must be positive, not {QueueCapacity}";
    }
}
