using AuditWatch.Ingestion.Sources.Kafka;
using Prometheus;

namespace AuditWatch.Metrics;

public static class KafkaMetrics
{
    /// <param name="consumes">Whether this instance consumes the topic (not a forwarder, not webhook-only).</param>
    public static void Register(KafkaCounters counters, bool consumes)
    {
        var messages = Prometheus.Metrics.CreateCounter("auditwatch_kafka_messages_total", "Kafka messages consumed.");
        var lag = Prometheus.Metrics.CreateGauge("auditwatch_kafka_lag_messages", "Messages behind the end of the assigned partitions.");
        var rebalances = Prometheus.Metrics.CreateCounter("auditwatch_kafka_rebalances_total", "Partition assignments and revocations.");
        // Only a consumer has partitions: elsewhere a 0 would read as a replica left without work.
        var assigned = consumes ? Prometheus.Metrics.CreateGauge("auditwatch_kafka_assigned_partitions", "Partitions this consumer owns now.") : null;
        var errors = Prometheus.Metrics.CreateCounter("auditwatch_kafka_errors_total", "Kafka client errors.");
        var deadLettered = Prometheus.Metrics.CreateCounter("auditwatch_kafka_dead_lettered_total", "Messages with no audit event, sent to the dead-letter topic.");
        var produced = Prometheus.Metrics.CreateCounter("auditwatch_kafka_produced_total", "Events produced (forwarder mode).");
        var produceErrors = Prometheus.Metrics.CreateCounter("auditwatch_kafka_produce_errors_total", "Failed productions (retried).");
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            messages.IncTo(counters.Messages);
            lag.Set(counters.Lag);
            rebalances.IncTo(counters.Rebalances);
            assigned?.Set(counters.AssignedPartitions);
            errors.IncTo(counters.Errors);
            deadLettered.IncTo(counters.DeadLettered);
            produced.IncTo(counters.Produced);
            produceErrors.IncTo(counters.ProduceErrors);
        });
    }
}
