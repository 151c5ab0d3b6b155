using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Queue;
using Prometheus;

namespace AuditWatch.Metrics;

/// <summary>
/// Exposes the counters every stage keeps as Prometheus metrics, read at scrape time. Labels are bounded: source kind,
/// a fixed set of reasons; never user, namespace or Secret names.
/// </summary>
public static class PipelineMetrics
{
    public static void Register(IngestCounters ingest, IngestQueue queue, PipelineCounters pipeline)
    {
        var received = Prometheus.Metrics.CreateCounter("auditwatch_events_received_total", "Audit event items received, by source.", "source");
        var decoded = Prometheus.Metrics.CreateCounter("auditwatch_events_decoded_total", "Audit events decoded and accepted, by source.", "source");
        var rejected = Prometheus.Metrics.CreateCounter("auditwatch_events_rejected_total", "Items rejected while decoding, by source and reason.", "source", "reason");
        var refused = Prometheus.Metrics.CreateCounter("auditwatch_batches_refused_total", "Batches refused because the queue was full (webhook: HTTP 429), by source.", "source");
        var depth = Prometheus.Metrics.CreateGauge("auditwatch_queue_depth_events", "Events accepted and not yet taken by detection.");
        var capacity = Prometheus.Metrics.CreateGauge("auditwatch_queue_capacity_events", "Capacity of the ingest queue in events.");
        var requests = Prometheus.Metrics.CreateCounter("auditwatch_requests_total", "API requests counted (one per request, whatever its stages).");
        var secretReads = Prometheus.Metrics.CreateCounter("auditwatch_secret_reads_total", "Requests that read Secrets, by outcome (allowed, denied, notfound, error, unknown).", "outcome");
        var evaluations = Prometheus.Metrics.CreateCounter("auditwatch_rule_evaluations_total", "Requests each rule looked at (matched its where, no except), by rule.", "rule");
        var ruleErrors = Prometheus.Metrics.CreateCounter("auditwatch_rule_errors_total", "Times each rule threw and started over with no state (its open incidents dropped; the other rules went on), by rule. A bug: the log names the request.", "rule");
        var tracked = Prometheus.Metrics.CreateGauge("auditwatch_tracked_groups", "Groups (identities) each rule holds state for, by rule.", "rule");
        var ignored = Prometheus.Metrics.CreateCounter("auditwatch_stages_ignored_total", "Audit events not counted as a request, by reason.", "reason");
        var late = Prometheus.Metrics.CreateCounter("auditwatch_late_events_total", "Requests behind the watermark: too late for windows.");
        var payloads = Prometheus.Metrics.CreateCounter("auditwatch_secret_payload_requests_total", "Requests whose logged body held Secret data or a token (dropped unread).");
        var stampedAhead = Prometheus.Metrics.CreateCounter("auditwatch_requests_stamped_ahead_total", "Requests stamped further ahead of the stream's time (and of this host's clock) than the allowed lateness: judged by match rules alone, kept out of windows and of event time. A control-plane clock is wrong.");
        var evaluated = Prometheus.Metrics.CreateCounter("auditwatch_requests_evaluated_total", "Requests released to the rules in event-time order (late ones are counted apart).");
        var waiting = Prometheus.Metrics.CreateGauge("auditwatch_requests_waiting", "Requests held back for event-time ordering (until the watermark passes them).");
        var abandoned = Prometheus.Metrics.CreateCounter("auditwatch_requests_abandoned_total", "Requests waiting for the watermark when their Kafka partition moved to another owner (it reads them again).");
        var replayed = Prometheus.Metrics.CreateCounter("auditwatch_events_replayed_total", "Events read again to rebuild windows after a Kafka partition assignment (counted as decoded by the previous owner).");
        var stateWrites = Prometheus.Metrics.CreateCounter("auditwatch_state_write_failures_total", "Writes of state files that failed (disk full, read-only), by file: positions, first_seen.", "file");
        var handedBack = Prometheus.Metrics.CreateCounter("auditwatch_events_handed_back_total", "Events taken from the queue and let go unread because their Kafka partition moved (the next owner reads them again).");
        var releasedEarly = Prometheus.Metrics.CreateCounter("auditwatch_requests_released_early_total", "Requests let out of event-time ordering before the watermark reached them because Detection:MaxBufferedRequests was reached: events older than them arriving later are late.");
        var forgottenEarly = Prometheus.Metrics.CreateCounter("auditwatch_requests_forgotten_early_total", "Requests forgotten before 10 minutes of event time because Detection:RememberedRequests was reached: a redelivery of them would count again.");
        var evictions = Prometheus.Metrics.CreateCounter("auditwatch_group_evictions_total", "Groups (identities) forgotten because a rule tracked as many as allowed.");
        Prometheus.Metrics.CreateGauge("auditwatch_build_info", "Build information.", "version")
            .WithLabels(typeof(PipelineMetrics).Assembly.GetName().Version?.ToString() ?? "unknown").Set(1);

        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            var totals = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var ((source, reason), count) in ingest.Rejected)
            {
                rejected.WithLabels(source, reason.ToString()).IncTo(count);
                totals[source] = totals.GetValueOrDefault(source) + count;
            }

            foreach (var (source, count) in ingest.Decoded)
            {
                decoded.WithLabels(source).IncTo(count);
                totals[source] = totals.GetValueOrDefault(source) + count;
            }

            foreach (var (source, count) in totals)
            {
                received.WithLabels(source).IncTo(count);
            }

            foreach (var (source, count) in ingest.RefusedBatches)
            {
                refused.WithLabels(source).IncTo(count);
            }

            depth.Set(queue.Depth);
            capacity.Set(queue.Capacity);
            requests.IncTo(pipeline.Requests);
            foreach (var (outcome, count) in pipeline.SecretReadsByOutcome)
            {
                secretReads.WithLabels(outcome.ToString().ToLowerInvariant()).IncTo(count);
            }

            foreach (var (rule, count) in pipeline.Evaluations)
            {
                evaluations.WithLabels(rule).IncTo(count);
            }

            foreach (var (rule, count) in pipeline.RuleFailures)
            {
                ruleErrors.WithLabels(rule).IncTo(count);
            }

            foreach (var (rule, count) in pipeline.TrackedGroups)
            {
                tracked.WithLabels(rule).Set(count);
            }

            ignored.WithLabels("request_received").IncTo(pipeline.RequestReceivedIgnored);
            ignored.WithLabels("later_stage").IncTo(pipeline.LaterStages);
            ignored.WithLabels("redelivery").IncTo(pipeline.Redeliveries);
            late.IncTo(pipeline.Late);
            stampedAhead.IncTo(pipeline.StampedAhead);
            evaluated.IncTo(pipeline.Evaluated);
            waiting.Set(pipeline.Waiting);
            abandoned.IncTo(pipeline.Abandoned);
            handedBack.IncTo(pipeline.HandedBack);
            replayed.IncTo(ingest.Replayed);
            stateWrites.WithLabels("positions").IncTo(ingest.PositionWriteFailures);
            stateWrites.WithLabels("first_seen").IncTo(pipeline.StateWriteFailures);
            payloads.IncTo(pipeline.SecretPayloads);
            evictions.IncTo(pipeline.Evictions);
            releasedEarly.IncTo(pipeline.ReleasedEarly);
            forgottenEarly.IncTo(pipeline.ForgottenEarly);
        });
    }
}
