using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuditWatch.Alerting.Delivery;
using AuditWatch.Core.Alerts;
using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Sinks.Alertmanager;

/// <summary>
/// Prometheus Alertmanager (<c>POST /api/v2/alerts</c>). Labels: alertname = rule id, severity, the rule's own labels
/// and the incident id (so incidents stay apart; Alertmanager forgets them once resolved). A resolved incident is posted
/// with endsAt now, so Alertmanager resolves it; an active one with endsAt ahead, re-posted while it lasts.
/// </summary>
public sealed class AlertmanagerSink(Uri endpoint, AlertmanagerOptions options, SinkContext context) : IAlertSink
{
    public static readonly SinkDefinition Definition = new("alertmanager", (section, context, errors) =>
    {
        var options = section.Get<AlertmanagerOptions>() ?? new AlertmanagerOptions();
        if (options.Url is not { Length: > 0 } url)
        {
            return null;
        }

        if (options.ActiveFor <= TimeSpan.Zero)
        {
            errors.Add("Sinks:Alertmanager:ActiveFor must be positive");
        }

        return SinkUrls.Check(url.TrimEnd('/') + "/api/v2/alerts", "Sinks:Alertmanager:Url", errors) is { } uri
            ? new AlertmanagerSink(uri, options, context)
            : null;
    });

    public string Name => "alertmanager";

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        var alerts = new JsonArray();
        foreach (var alert in notification.Alerts)
        {
            alerts.Add(ToAlertmanager(alert, now, notification.IsTest));
        }

        using var response = await context.Http.PostAsJsonAsync(endpoint, alerts, cancellationToken);
        await HttpOutcome.EnsureDeliveredAsync(response, Name, context.Time, cancellationToken);
    }

    private JsonObject ToAlertmanager(Alert alert, DateTimeOffset now, bool isTest)
    {
        var labels = new JsonObject
        {
            ["alertname"] = alert.Rule,
            ["severity"] = alert.Severity.ToString().ToLowerInvariant(),
            ["incident"] = alert.IncidentId,
            ["source"] = "auditwatch",
        };
        foreach (var (name, value) in alert.Labels)
        {
            labels[Sanitize(name)] = value;
        }

        if (isTest)
        {
            labels["test"] = "true";
        }

        // startsAt is when it started (event time); endsAt decides whether Alertmanager sees it as active.
        var starts = alert.FirstSeen < now ? alert.FirstSeen : now;
        var ends = alert.Status == AlertStatus.Resolved ? now : now + options.ActiveFor;
        return new JsonObject
        {
            ["labels"] = labels,
            ["annotations"] = new JsonObject
            {
                ["summary"] = context.Templates.Title.Render(alert, s => s),
                ["description"] = alert.Summary,
                ["runbook_url"] = alert.RunbookUrl ?? string.Empty,
                ["user"] = alert.User,
                ["objects"] = string.Join(", ", alert.Objects),
            },
            ["startsAt"] = starts.UtcDateTime.ToString("O"),
            ["endsAt"] = ends.UtcDateTime.ToString("O"),
            ["generatorURL"] = options.GeneratorUrl + alert.IncidentId,
        };
    }

    private static string Sanitize(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
