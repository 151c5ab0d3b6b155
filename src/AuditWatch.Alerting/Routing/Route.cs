using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Routing;

/// <summary>A validated route: which alerts, to which sinks, grouped how.</summary>
public sealed record Route(string Name, RouteOptions Options, IReadOnlyList<string> Sinks)
{
    public bool Matches(Alert alert) =>
        (Options.Rules.Count == 0 || Options.Rules.Contains(alert.Rule))
        && (Options.SeverityAtLeast is null || alert.Severity >= Options.SeverityAtLeast)
        && (Options.Severity is null || alert.Severity == Options.Severity)
        && Options.Labels.All(l => alert.Labels.TryGetValue(l.Key, out var value) && value == l.Value);

    private static readonly string[] ByIncident = ["incident"];

    public string GroupKey(Alert alert) =>
        string.Join(" | ", (Options.GroupBy.Count == 0 ? ByIncident : [.. Options.GroupBy]).Select(label => AlertLabels.Value(alert, label) ?? string.Empty));
}
