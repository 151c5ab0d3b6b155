namespace AuditWatch.Alerting.Delivery;

/// <summary>
/// A place alerts go. <see cref="SendAsync"/> delivers or throws <see cref="DeliveryException"/>; retries, queues and
/// the dead letter are the delivery layer's job, not the sink's.
/// </summary>
public interface IAlertSink
{
    string Name { get; }

    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}
