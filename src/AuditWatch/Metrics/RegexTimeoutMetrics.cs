using AuditWatch.Rules.Conditions;
using Prometheus;

namespace AuditWatch.Metrics;

public static class RegexTimeoutMetrics
{
    public static void Register()
    {
        var timeouts = Prometheus.Metrics.CreateCounter("auditwatch_rule_regex_timeouts_total", "Rule regex evaluations that ran into their timeout and counted as no match.");
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() => timeouts.IncTo(RegexTimeouts.Count));
    }
}
