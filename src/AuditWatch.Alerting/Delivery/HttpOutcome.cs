namespace AuditWatch.Alerting.Delivery;

/// <summary>How HTTP answers map to delivery outcomes: 2xx delivered, 429/503/5xx/408 retried (honouring Retry-After), other 4xx permanent.</summary>
public static class HttpOutcome
{
    public static async Task EnsureDeliveredAsync(HttpResponseMessage response, string sink, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var shown = body.Length > 200 ? body[..200] + "…" : body;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        var transient = status is 408 or 429 || status >= 500;
        throw new DeliveryException($"{sink} answered {status} {response.ReasonPhrase}: {shown}", permanent: !transient, retryAfter);
    }
}
