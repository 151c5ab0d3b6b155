using System.IO.Compression;
using System.Text;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Webhook;
using AuditWatch.Ingestion.Tests.Decoding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.Ingestion.Tests.Webhook;

/// <summary>
/// Under overload most batches are refused: a batch the full queue cannot take is answered 429 before it is decoded,
/// so the CPU goes to the batches that are accepted. Judged by what decoding would have said: a body that decoding
/// rejects (400) is answered 429 when the queue is full, and 400 when there is room.
/// </summary>
public sealed class RefusalBeforeDecodingTests
{
    private const string Token = "test-token";

    private static string Body(int events) =>
        "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[" +
        string.Join(",", Enumerable.Range(0, events).Select(i => SampleEvents.Get($"id-{Guid.NewGuid()}-{i}"))) + "]}";

    private static (WebhookEndpoint Endpoint, IngestQueue Queue, IngestCounters Counters) Create(long capacity)
    {
        var options = new WebhookOptions { Token = Token };
        var queue = new IngestQueue(capacity);
        var counters = new IngestCounters();
        var endpoint = new WebhookEndpoint(
            options,
            new WebhookAuthenticator(options, TimeProvider.System),
            new AuditStreamDecoder(),
            queue,
            counters,
            new HandOff(WaitForAcknowledgement: false, TimeSpan.FromSeconds(5)),
            NullLogger<WebhookEndpoint>.Instance);
        return (endpoint, queue, counters);
    }

    private static Task<int> PostAsync(WebhookEndpoint endpoint, string body) =>
        PostAsync(endpoint, new MemoryStream(Encoding.UTF8.GetBytes(body)));

    /// <summary>Posts <paramref name="body"/> with its length declared, as the apiserver does.</summary>
    private static async Task<int> PostAsync(WebhookEndpoint endpoint, MemoryStream body, string? contentEncoding = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        if (contentEncoding is not null)
        {
            context.Request.Headers.ContentEncoding = contentEncoding;
        }

        context.Request.ContentLength = body.Length;
        context.Request.Body = body;
        context.Request.Headers.Authorization = "Bearer " + Token;
        context.Response.Body = new MemoryStream();
        await endpoint.HandleAsync(context);
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task A_full_queue_refuses_a_batch_without_decoding_it()
    {
        var (endpoint, queue, counters) = Create(capacity: 1000);
        var garbage = new string('x', Body(100).Length);

        Assert.Equal(200, await PostAsync(endpoint, Body(990)));
        Assert.Equal(990, queue.Depth);

        Assert.Equal(429, await PostAsync(endpoint, garbage));
        Assert.Empty(counters.Rejected);

        // Detection catches up: the same body now reaches the decoder, which rejects it.
        while (queue.Reader.TryRead(out var batch))
        {
            queue.MarkTaken(batch);
        }

        Assert.Equal(400, await PostAsync(endpoint, garbage));
    }

    [Fact]
    public async Task A_full_queue_refuses_a_batch_of_declared_length_without_reading_it()
    {
        var (endpoint, queue, counters) = Create(capacity: 1000);
        Assert.Equal(200, await PostAsync(endpoint, Body(990)));

        var body = new MemoryStream(Encoding.UTF8.GetBytes(Body(100)));

        Assert.Equal(429, await PostAsync(endpoint, body));
        Assert.Equal(0, body.Position);
        Assert.Equal(990, queue.Depth);
        Assert.Equal(1, counters.RefusedBatches.GetValueOrDefault(WebhookEndpoint.SourceName));
    }

    [Fact]
    public async Task A_full_queue_refuses_a_gzip_batch_of_declared_length_without_inflating_it()
    {
        var (endpoint, queue, counters) = Create(capacity: 1000);
        Assert.Equal(200, await PostGzipAsync(endpoint, new MemoryStream(Gzip(Body(400)))));
        Assert.Equal(200, await PostGzipAsync(endpoint, new MemoryStream(Gzip(Body(550)))));

        // Compressed, a 100-event body is a few KB: judged by the uncompressed bodies' sizes it would pass for a batch
        // of a few events and be inflated and decoded before being refused.
        var body = new MemoryStream(Gzip(Body(100)));
        Assert.Equal(429, await PostGzipAsync(endpoint, body));
        Assert.Equal(0, body.Position);
        Assert.Equal(950, queue.Depth);
        Assert.Equal(1, counters.RefusedBatches.GetValueOrDefault(WebhookEndpoint.SourceName));

        // With room again it is inflated and taken.
        while (queue.Reader.TryRead(out var batch))
        {
            queue.MarkTaken(batch);
        }

        Assert.Equal(200, await PostGzipAsync(endpoint, new MemoryStream(Gzip(Body(100)))));
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static Task<int> PostGzipAsync(WebhookEndpoint endpoint, MemoryStream body) => PostAsync(endpoint, body, "gzip");

    [Fact]
    public async Task A_batch_that_fits_is_not_refused_by_the_estimate()
    {
        var (endpoint, queue, _) = Create(capacity: 1000);

        Assert.Equal(200, await PostAsync(endpoint, Body(400)));
        Assert.Equal(200, await PostAsync(endpoint, Body(400)));
        Assert.Equal(200, await PostAsync(endpoint, Body(150)));
        Assert.Equal(950, queue.Depth);
    }

    [Fact]
    public void The_estimate_never_exceeds_the_largest_batch_accepted()
    {
        var estimate = new BatchSizeEstimate();
        Assert.Equal(1, estimate.EventsIn(1_000_000));

        estimate.Accepted(bodyBytes: 40_000, events: 400);
        estimate.Accepted(bodyBytes: 10_000, events: 100);

        Assert.Equal(80, estimate.EventsIn(10_000));
        Assert.Equal(400, estimate.EventsIn(10_000_000));
    }
}
