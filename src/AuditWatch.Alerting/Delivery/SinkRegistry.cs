using AuditWatch.Alerting.Sinks.Alertmanager;
using AuditWatch.Alerting.Sinks.Email;
using AuditWatch.Alerting.Sinks.JsonFile;
using AuditWatch.Alerting.Sinks.Slack;
using AuditWatch.Alerting.Sinks.Webhook;
using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Delivery;

/// <summary>Every kind of sink, configured under <c>Sinks:&lt;Section&gt;</c>. Adding a sink: its folder, and one line here.</summary>
public static class SinkRegistry
{
    private static readonly (string Section, SinkDefinition Definition)[] Definitions =
    [
        ("Slack", SlackSink.Definition),
        ("Email", EmailSink.Definition),
        ("Alertmanager", AlertmanagerSink.Definition),
        ("Webhook", WebhookSink.Definition),
        ("File", JsonFileSink.Definition),
    ];

    /// <summary>The sinks the configuration sets up.</summary>
    public static IReadOnlyList<IAlertSink> Create(IConfiguration configuration, SinkContext context, List<string> errors) =>
        [.. Definitions
            .Select(d => d.Definition.Create(configuration.GetSection($"Sinks:{d.Section}"), context, errors))
            .OfType<IAlertSink>()];
}
