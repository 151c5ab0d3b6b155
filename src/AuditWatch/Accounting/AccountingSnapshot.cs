using AuditWatch.Alerting.Delivery;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Queue;

namespace AuditWatch.Accounting;

/// <summary>
/// The balances that account for every item, read from the counters the metrics expose. Each line holds at rest (with
/// nothing queued, waiting or pending); while items are in flight they show as the in-flight terms.
/// </summary>
public sealed record AccountingSnapshot(IReadOnlyList<AccountingLine> Lines)
{
    public bool Balanced => Lines.All(l => l.Balanced);

    /// <summary>Nothing in flight: no event queued, no request waiting for the watermark, no notice pending.</summary>
    public bool AtRest => Lines.SelectMany(l => l.Terms).Where(t => t.Term is "queued" or "waiting" or "pending").All(t => t.Count == 0);

    public static AccountingSnapshot Take(IngestCounters ingest, IngestQueue queue, PipelineCounters pipeline, DeliveryCounters delivery, long alertNotices, long forwarded)
    {
        var lines = new List<AccountingLine>();
        var decoded = ingest.Decoded.Values.Sum();
        var rejected = ingest.Rejected.Values.Sum();
        lines.Add(new AccountingLine(
            "events received",
            decoded + rejected,
            [("decoded", decoded), ("rejected", rejected)]));

        // Decoded and replayed events: detection (or, in forwarder mode, Kafka) counts each once it went through; the
        // queue still holds the rest.
        lines.Add(new AccountingLine(
            "events to detection",
            decoded + ingest.Replayed,
            [("requests", pipeline.Requests), ("request_received", pipeline.RequestReceivedIgnored), ("later stages", pipeline.LaterStages), ("redeliveries", pipeline.Redeliveries), ("handed back", pipeline.HandedBack), ("forwarded", forwarded), ("queued", queue.Depth)]));

        lines.Add(new AccountingLine(
            "requests",
            pipeline.Requests,
            [("evaluated", pipeline.Evaluated), ("late", pipeline.Late), ("stamped ahead", pipeline.StampedAhead), ("abandoned", pipeline.Abandoned), ("waiting", pipeline.Waiting)]));

        var silenced = delivery.Silenced.Values.Sum();
        lines.Add(new AccountingLine(
            "alert notices",
            alertNotices,
            [("routed", delivery.Routed), ("unrouted", delivery.Unrouted), ("silenced", silenced)]));

        foreach (var (sink, state) in delivery.Sinks.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            lines.Add(new AccountingLine(
                $"notices for {sink}",
                state.AlertsRouted,
                [("delivered", state.AlertsDelivered), ("dead-lettered", state.AlertsDeadLettered), ("superseded", state.AlertsSuperseded), ("unsent resolved", state.AlertsUnsent), ("lost", state.AlertsLost), ("pending", state.AlertsPending)]));
        }

        return new AccountingSnapshot(lines);
    }

    public override string ToString() => string.Join("; ", Lines);
}
