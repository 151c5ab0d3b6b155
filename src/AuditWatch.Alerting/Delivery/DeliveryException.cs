namespace AuditWatch.Alerting.Delivery;

/// <summary>A failed delivery: permanent (no retry helps) or transient, possibly with the receiver's Retry-After.</summary>
public sealed class DeliveryException(string message, bool permanent, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
