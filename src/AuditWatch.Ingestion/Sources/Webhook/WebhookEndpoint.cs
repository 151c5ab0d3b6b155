using System.Buffers;
using System.Text.Json;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace AuditWatch.Ingestion.Sources.Webhook;

/// <summary>
/// <c>POST /audit</c>: the apiserver's audit webhook. Authenticates, bounds and decodes the body (an EventList, a
/// single Event or JSON lines; gzip accepted), and hands the good events to detection through the bounded queue. A bad
/// item costs only itself; a full queue answers 429 so the apiserver retries the batch; 2xx means accepted for good.
/// </summary>
public sealed partial class WebhookEndpoint(
    WebhookOptions options,
    WebhookAuthenticator authenticator,
    AuditStreamDecoder decoder,
    IngestQueue queue,
    IngestCounters counters,
    HandOff handOff,
    ILogger<WebhookEndpoint> logger)
{
    public const string SourceName = "webhook";
    private const int MaxErrorsInResponse = 20;
    private const int MaxKeptResults = 4096;

    [ThreadStatic]
    private static List<DecodeResult>? t_results;

    private readonly BatchSizeEstimate _sizes = new();

    // A gzip body's compressed length says how many events it holds only compared with other gzip bodies.
    private readonly BatchSizeEstimate _gzippedSizes = new();

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!authenticator.IsAuthorized(context.Connection.ClientCertificate, request.Headers.Authorization))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Reply(context, StatusCodes.Status401Unauthorized, new { error = "authentication required: a client certificate from the configured CA or the bearer token" });
            return;
        }

        if (request.ContentType is { } contentType && !IsJson(contentType))
        {
            await Reply(context, StatusCodes.Status415UnsupportedMediaType, new { error = $"Content-Type must be application/json, not {Shorten(contentType)}" });
            return;
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            await Reply(context, StatusCodes.Status415UnsupportedMediaType, new { error = $"Content-Encoding {Shorten(encoding)} is not supported (use gzip or none)" });
            return;
        }

        if (request.ContentLength > options.MaxBodyBytes)
        {
            await Reply(context, StatusCodes.Status413PayloadTooLarge, new { error = $"body exceeds {options.MaxBodyBytes} bytes (Webhook:MaxBodyBytes)" });
            return;
        }

        // With its length declared, a batch the full queue cannot take is refused before its body is even read (or
        // inflated): under overload most batches are, and reading (and then clearing) each one's buffer was work for
        // nothing. A gzip body is judged by the compressed lengths of the gzip bodies accepted so far.
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        var declared = request.ContentLength > 0 ? request.ContentLength : null;
        if (declared is { } declaredLength && queue.WouldRefuse((gzip ? _gzippedSizes : _sizes).EventsIn(declaredLength)))
        {
            await Refuse(context);
            return;
        }

        var body = await WebhookBodyReader.ReadAsync(
            request.Body, gzip, request.ContentLength, options.MaxBodyBytes, context.RequestAborted);
        try
        {
            if (body.Outcome is { } failure)
            {
                await Reply(context, failure.Status, new { error = failure.Error });
                return;
            }

            await AcceptAsync(context, body.Buffer, body.Length, gzip ? declared : null);
        }
        finally
        {
            if (body.Buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(body.Buffer, clearArray: true);
            }
        }
    }

    private async Task AcceptAsync(HttpContext context, byte[] buffer, int length, long? gzippedLength)
    {
        if (length == 0)
        {
            await Reply(context, StatusCodes.Status400BadRequest, new { error = "empty body: expected an audit.k8s.io/v1 EventList, an Event or JSON lines" });
            return;
        }

        if (queue.WouldRefuse(_sizes.EventsIn(length)))
        {
            await Refuse(context);
            return;
        }

        var (events, errors) = Decode(buffer.AsSpan(0, length));
        if (events.Count == 0)
        {
            RecordRejections(errors);
            await Reply(context, StatusCodes.Status400BadRequest, new
            {
                error = errors.Count == 0 ? "no audit events in the body" : $"no valid audit event in the body ({errors.Count} rejected)",
                rejected = Describe(errors),
            });
            return;
        }

        var handedOn = handOff.WaitForAcknowledgement ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        if (!queue.TryEnqueue(new EventBatch(events, SourceName, handedOn is null ? null : handedOn.SetResult)))
        {
            await Refuse(context);
            return;
        }

        _sizes.Accepted(length, events.Count);
        if (gzippedLength is { } gzipped)
        {
            _gzippedSizes.Accepted(gzipped, events.Count);
        }

        counters.RecordDecoded(SourceName, events.Count);
        RecordRejections(errors);
        if (handedOn is not null && !await Acknowledged(handedOn.Task, context.RequestAborted))
        {
            await Reply(context, StatusCodes.Status503ServiceUnavailable, new { error = "Kafka did not acknowledge the batch in time; retry it" });
            return;
        }

        await Reply(context, StatusCodes.Status200OK, new { accepted = events.Count, rejected = Describe(errors) });
    }

    private async Task<bool> Acknowledged(Task acknowledgement, CancellationToken cancellationToken)
    {
        try
        {
            await acknowledgement.WaitAsync(handOff.Timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private (List<AuditEvent> Events, List<DecodeError> Errors) Decode(ReadOnlySpan<byte> body)
    {
        // Decoding is synchronous, so one list per thread serves every request it decodes (a 400-event body grew a
        // new one to 512 results each time); a list grown by an unusually large body is not kept.
        var results = t_results ??= [];
        try
        {
            decoder.DecodeInto(body, SourceName, results);
            var events = new List<AuditEvent>(results.Count);
            var errors = new List<DecodeError>();
            foreach (var result in results)
            {
                if (result.Event is { } decoded)
                {
                    events.Add(decoded);
                    continue;
                }

                errors.Add(result.Error!);
            }

            return (events, errors);
        }
        finally
        {
            results.Clear();
            if (results.Capacity > MaxKeptResults)
            {
                t_results = null;
            }
        }
    }

    private async Task Refuse(HttpContext context)
    {
        counters.RecordRefused(SourceName);
        context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Reply(context, StatusCodes.Status429TooManyRequests, new { error = "detection is behind; retry this batch later" });
    }

    /// <summary>Counted once the body's fate is known: a batch refused with 429 comes back and is counted then.</summary>
    private void RecordRejections(List<DecodeError> errors)
    {
        foreach (var error in errors)
        {
            counters.RecordRejected(SourceName, error.Kind);
            LogRejected(logger, error.Position.Line, error.Position.Item, error.Reason);
        }
    }

    private static object[] Describe(List<DecodeError> errors) =>
        [.. errors.Take(MaxErrorsInResponse).Select(e => new { line = e.Position.Line, item = e.Position.Item, reason = e.Reason })];

    private static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Value is "application/json" or "application/x-ndjson" or "application/jsonl" or "application/json-seq";

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;

    private static async Task Reply(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), cancellationToken: context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook body line {Line} item {Item} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, long line, long item, string reason);
}
