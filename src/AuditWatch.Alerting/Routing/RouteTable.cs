using AuditWatch.Core.Alerts;
using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Routing;

/// <summary>The configured routes (<c>Routes</c>), or with none every alert to every sink.</summary>
public sealed class RouteTable(IReadOnlyList<Route> routes)
{
    public IReadOnlyList<Route> Routes => routes;

    public static RouteTable From(IConfiguration configuration, IReadOnlyCollection<string> sinks, List<string> errors)
    {
        var options = configuration.GetSection("Routes").Get<List<RouteOptions>>() ?? [];
        if (options.Count == 0)
        {
            return new RouteTable([new Route("default", new RouteOptions(), [.. sinks])]);
        }

        var routes = new List<Route>();
        for (var i = 0; i < options.Count; i++)
        {
            var route = options[i];
            var name = $"Routes:{i}";
            foreach (var sink in route.Sinks.Where(s => !sinks.Contains(s)))
            {
                errors.Add($"{name}:Sinks: '{sink}' is not a configured sink (configured: {string.Join(", ", sinks)})");
            }

            if (route.GroupWait < TimeSpan.Zero || route.GroupInterval <= TimeSpan.Zero || route.RepeatInterval <= TimeSpan.Zero)
            {
                errors.Add($"{name}: GroupWait must not be negative; GroupInterval and RepeatInterval must be positive");
            }

            routes.Add(new Route(name, route, route.Sinks.Count == 0 ? [.. sinks] : [.. route.Sinks.Distinct(StringComparer.Ordinal)]));
        }

        return new RouteTable(routes);
    }

    /// <summary>The routes an alert takes: the first that matches, and the following ones while Continue is set.</summary>
    public IReadOnlyList<Route> Match(Alert alert)
    {
        var matched = new List<Route>();
        foreach (var route in routes)
        {
            if (!route.Matches(alert))
            {
                continue;
            }

            matched.Add(route);
            if (!route.Options.Continue)
            {
                break;
            }
        }

        return matched;
    }
}
