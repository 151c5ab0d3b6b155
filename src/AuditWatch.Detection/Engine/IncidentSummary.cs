using System.Globalization;
using AuditWatch.Detection.Evidence;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Yaml;

namespace AuditWatch.Detection.Engine;

/// <summary>The one sentence an alert opens with: who, what, how much, over what span, and why the rule fired.</summary>
internal static class IncidentSummary
{
    public static string For(Rule rule, IncidentEvidence incident)
    {
        var who = incident.ImpersonatedUser is null ? incident.User : $"{incident.User} (as {incident.ImpersonatedUser})";
        var outcomes = incident.Outcomes;
        var probing = outcomes.Denied + outcomes.NotFound > 0
            ? $", {outcomes.Denied} denied and {outcomes.NotFound} not found"
            : string.Empty;
        var span = incident.LastSeen - incident.FirstSeen;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{who}: {rule.Title} — {Requests(incident.Count)} on {incident.DistinctObjects} distinct object(s) in {incident.DistinctNamespaces} namespace(s) within {Describe(span)}{probing}; fires on {Criterion(rule)}.{(rule.Attribution is { } credit ? " " + credit : string.Empty)}");
    }

    private static string Requests(int count) => count == 1 ? "1 request" : $"{count} requests";

    private static string Criterion(Rule rule) => rule.Kind switch
    {
        RuleKind.Distinct => $"{rule.Threshold!.Default}+ distinct {rule.CountDistinct!.Name} within {Durations.Format(rule.Window)}",
        RuleKind.Threshold => $"{rule.Threshold!.Default}+ requests within {Durations.Format(rule.Window)}",
        RuleKind.FirstSeen => $"a first-seen {string.Join(" + ", rule.Key.Select(k => k.Name))} after learning for {Durations.Format(rule.Learn)}",
        RuleKind.Sequence when rule.OrderedSteps => $"{string.Join(" then ", rule.Steps.Select(s => s.Name))} within {Durations.Format(rule.Window)}",
        RuleKind.Sequence => $"{(rule.StepsRequired is 0 || rule.StepsRequired == rule.Steps.Count ? "all" : rule.StepsRequired.ToString(CultureInfo.InvariantCulture))} of {string.Join(", ", rule.Steps.Select(s => s.Name))} within {Durations.Format(rule.Window)}",
        RuleKind.Spike => string.Create(CultureInfo.InvariantCulture, $"{rule.Factor:0.#}x its own average per {Durations.Format(rule.Window)} over {Durations.Format(rule.Baseline)} (at least {rule.MinCount})"),
        _ => "any matching request",
    };

    private static string Describe(TimeSpan span) => span.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min");
}
