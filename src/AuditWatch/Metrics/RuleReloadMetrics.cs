using AuditWatch.Hosting;
using Prometheus;

namespace AuditWatch.Metrics;

public static class RuleReloadMetrics
{
    public static void Register(RuleReloader reloader)
    {
        var reloads = Prometheus.Metrics.CreateCounter("auditwatch_rule_reloads_total", "Rule changes seen while running, by result (applied, rejected, unreadable).", "result");
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            reloads.WithLabels("applied").IncTo(reloader.Applied);
            reloads.WithLabels("rejected").IncTo(reloader.Rejected);
            reloads.WithLabels("unreadable").IncTo(reloader.Unreadable);
        });
    }
}
