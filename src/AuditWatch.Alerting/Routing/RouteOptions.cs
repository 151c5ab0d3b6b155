using AuditWatch.Core.Alerts;

namespace AuditWatch.Alerting.Routing;

/// <summary>One entry of <c>Routes</c>, in the spirit of Alertmanager's route tree (flat, first match wins unless Continue).</summary>
public sealed class RouteOptions
{
    /// <summary>Rule ids this route takes; empty takes every rule.</summary>
    public List<string> Rules { get; set; } = [];

    public Severity? SeverityAtLeast { get; set; }

    public Severity? Severity { get; set; }

    /// <summary>Rule labels that must all be present with these values.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Sinks to deliver to; empty means every configured sink.</summary>
    public List<string> Sinks { get; set; } = [];

    /// <summary>Keep looking for further matching routes after this one.</summary>
    public bool Continue { get; set; }

    /// <summary>
    /// Alerts with the same values of these labels go out together: rule, severity, user, incident, or rule labels.
    /// Empty means incident: each incident on its own. (Not a list default: configuration binding appends to lists.)
    /// </summary>
    public List<string> GroupBy { get; set; } = [];

    /// <summary>Wait this long after a group's first alert before sending, to gather the rest of it.</summary>
    public TimeSpan GroupWait { get; set; } = TimeSpan.Zero;

    /// <summary>At least this long between notifications about changes to a group.</summary>
    public TimeSpan GroupInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Send an unchanged, still-active group again after this long.</summary>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromHours(4);

    public bool SendResolved { get; set; } = true;
}
