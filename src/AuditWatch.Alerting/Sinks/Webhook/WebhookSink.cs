using System.Security.Cryptography;
using System.Text;
using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Formatting;
using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Sinks.Webhook;

/// <summary>
/// A generic webhook (<c>Sinks:Webhook:Url</c>): each alert as the replay JSON, one POST per alert, optionally signed
/// with <c>X-AuditWatch-Signature: sha256=HEX</c> (HMAC-SHA256 of the body) so the receiver can verify the sender.
/// </summary>
public sealed class WebhookSink(Uri url, byte[]? key, SinkContext context) : IAlertSink
{
    public const string SignatureHeader = "X-AuditWatch-Signature";

    public static readonly SinkDefinition Definition = new("webhook", (section, context, errors) =>
    {
        var options = section.Get<WebhookSinkOptions>() ?? new WebhookSinkOptions();
        if (options.Url is not { Length: > 0 } url)
        {
            return null;
        }

        byte[]? key = null;
        if (!string.IsNullOrEmpty(options.Secret) && !string.IsNullOrEmpty(options.SecretFile))
        {
            errors.Add("Sinks:Webhook:Secret and Sinks:Webhook:SecretFile are both set; use one");
        }
        else if (!string.IsNullOrEmpty(options.SecretFile))
        {
            if (File.Exists(options.SecretFile))
            {
                key = Encoding.UTF8.GetBytes(File.ReadAllText(options.SecretFile).Trim());
            }
            else
            {
                errors.Add($"Sinks:Webhook:SecretFile: {options.SecretFile} does not exist");
            }
        }
        else if (!string.IsNullOrEmpty(options.Secret))
        {
            key = Encoding.UTF8.GetBytes(options.Secret);
        }

        return SinkUrls.Check(url, "Sinks:Webhook:Url", errors) is { } uri ? new WebhookSink(uri, key, context) : null;
    });

    public string Name => "webhook";

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        foreach (var alert in notification.Alerts)
        {
            var body = AlertJson.Serialize(alert);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Add(SignatureHeader, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body))));
            }

            if (notification.IsTest)
            {
                request.Headers.Add("X-AuditWatch-Test", "true");
            }

            using var response = await context.Http.SendAsync(request, cancellationToken);
            await HttpOutcome.EnsureDeliveredAsync(response, Name, context.Time, cancellationToken);
        }
    }
}
