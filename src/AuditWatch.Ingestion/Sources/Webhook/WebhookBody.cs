namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>
/// A request body read into a buffer rented from the shared pool (the caller returns it, cleared), or why it was
/// refused: the HTTP status and the error to answer with.
/// </summary>
public readonly record struct WebhookBody(byte[] Buffer, int Length, (int Status, string Error)? Outcome)
{
    public static WebhookBody Failed(int status, string error) => new([], 0, (status, error));
}
