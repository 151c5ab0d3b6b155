using System.Net.Http.Json;
using AuditWatch.Alerting.Delivery;
using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Sinks.Slack;

/// <summary>Slack incoming webhook (<c>Sinks:Slack:WebhookUrl</c>).</summary>
public sealed class SlackSink(Uri webhook, SinkContext context) : IAlertSink
{
    public static readonly SinkDefinition Definition = new("slack", (section, context, errors) =>
    {
        var options = section.Get<SlackOptions>();
        if (options?.WebhookUrl is not { Length: > 0 } url)
        {
            return null;
        }

        return SinkUrls.Check(url, "Sinks:Slack:WebhookUrl", errors) is { } uri ? new SlackSink(uri, context) : null;
    });

    public string Name => "slack";

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        using var response = await context.Http.PostAsJsonAsync(webhook, SlackMessage.Build(notification, context.Templates), cancellationToken);
        await HttpOutcome.EnsureDeliveredAsync(response, Name, context.Time, cancellationToken);
    }
}
