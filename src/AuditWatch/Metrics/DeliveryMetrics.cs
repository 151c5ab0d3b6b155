using AuditWatch.Alerting.Delivery;
using Prometheus;

namespace AuditWatch.Metrics;

/// <summary>Delivery per sink (a fixed, small set) and suppression/silencing per rule, read at scrape time.</summary>
public static class DeliveryMetrics
{
    public static void Register(DeliveryCounters counters)
    {
        var attempts = Prometheus.Metrics.CreateCounter("auditwatch_delivery_attempts_total", "Delivery attempts, by sink.", "sink");
        var delivered = Prometheus.Metrics.CreateCounter("auditwatch_deliveries_total", "Notifications delivered, by sink.", "sink");
        var failures = Prometheus.Metrics.CreateCounter("auditwatch_delivery_failures_total", "Failed attempts that were retried, by sink.", "sink");
        var deadLetters = Prometheus.Metrics.CreateCounter("auditwatch_dead_letters_total", "Notifications written to the dead letter, by sink.", "sink");
        var seconds = Prometheus.Metrics.CreateCounter("auditwatch_delivery_seconds_total", "Time spent delivering (with retries), by sink; divide by deliveries for the mean.", "sink");
        var queued = Prometheus.Metrics.CreateGauge("auditwatch_sink_queue_depth", "Notifications waiting for a sink.", "sink");
        var failing = Prometheus.Metrics.CreateGauge("auditwatch_sink_failing", "1 when the sink's last notification went to the dead letter.", "sink");
        var suppressed = Prometheus.Metrics.CreateCounter("auditwatch_alerts_suppressed_total", "Repeats of ongoing incidents folded into them instead of alerting again, by rule.", "rule");
        var silenced = Prometheus.Metrics.CreateCounter("auditwatch_alerts_silenced_total", "Alert notices muted by a silence, by rule.", "rule");
        var routed = Prometheus.Metrics.CreateCounter("auditwatch_alerts_routed_total", "Alert notices that matched at least one route.");
        var unrouted = Prometheus.Metrics.CreateCounter("auditwatch_alerts_unrouted_total", "Alert notices that matched no route.");
        var sinkRouted = Prometheus.Metrics.CreateCounter("auditwatch_sink_alerts_routed_total", "Alert notices filed for a sink (once per route that sends to it), by sink.", "sink");
        var sinkEnded = Prometheus.Metrics.CreateCounter(
            "auditwatch_sink_alerts_ended_total",
            "Alert notices filed for a sink that ended, by sink and outcome (delivered, dead_lettered, superseded, unsent_resolved, lost).",
            "sink",
            "outcome");
        var sinkPending = Prometheus.Metrics.CreateGauge("auditwatch_sink_alerts_pending", "Alert notices filed for a sink and not ended yet (grouped, queued or being sent), by sink.", "sink");

        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            foreach (var (sink, state) in counters.Sinks)
            {
                attempts.WithLabels(sink).IncTo(state.Attempts);
                delivered.WithLabels(sink).IncTo(state.Delivered);
                failures.WithLabels(sink).IncTo(state.FailedAttempts);
                deadLetters.WithLabels(sink).IncTo(state.DeadLettered);
                seconds.WithLabels(sink).IncTo(state.Seconds);
                queued.WithLabels(sink).Set(state.Queued);
                failing.WithLabels(sink).Set(state.LastError is null ? 0 : 1);
                sinkRouted.WithLabels(sink).IncTo(state.AlertsRouted);
                sinkEnded.WithLabels(sink, "delivered").IncTo(state.AlertsDelivered);
                sinkEnded.WithLabels(sink, "dead_lettered").IncTo(state.AlertsDeadLettered);
                sinkEnded.WithLabels(sink, "superseded").IncTo(state.AlertsSuperseded);
                sinkEnded.WithLabels(sink, "unsent_resolved").IncTo(state.AlertsUnsent);
                sinkEnded.WithLabels(sink, "lost").IncTo(state.AlertsLost);
                sinkPending.WithLabels(sink).Set(state.AlertsPending);
            }

            foreach (var (rule, count) in counters.Suppressed)
            {
                suppressed.WithLabels(rule).IncTo(count);
            }

            routed.IncTo(counters.Routed);
            unrouted.IncTo(counters.Unrouted);
            foreach (var (rule, count) in counters.Silenced)
            {
                silenced.WithLabels(rule).IncTo(count);
            }
        });
    }
}
