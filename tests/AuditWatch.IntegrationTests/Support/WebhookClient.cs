using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// Behaves like the kube-apiserver's audit webhook backend: EventList batches of up to 400 events (items without kind
/// and apiVersion), a client certificate or bearer token, and retries of the whole batch on any non-2xx answer.
/// </summary>
internal sealed class WebhookClient : IDisposable
{
    public const int BatchSize = 400;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public WebhookClient(Uri baseAddress, X509Certificate2? clientCertificate = null, X509Certificate2? trustedAuthority = null, string? token = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        if (trustedAuthority is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(trustedAuthority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }

        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        _endpoint = new Uri(baseAddress, "/audit");
    }

    public HttpClient Http => _http;

    private int _tooManyRequests;

    // Several batches may be in flight on one client at once, as from the apiserver's goroutines: count atomically.
    public int TooManyRequests => Volatile.Read(ref _tooManyRequests);

    /// <summary>The apiserver tries a batch 5 times; a load test may allow more.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Events per EventList; the apiserver's default is 400.</summary>
    public int EventsPerBatch { get; init; } = BatchSize;

    /// <summary>Posts every line of the files as EventList batches; returns the number of events accepted.</summary>
    public async Task<int> SendFilesAsync(params string[] paths)
    {
        var sent = 0;
        foreach (var path in paths)
        {
            foreach (var batch in File.ReadLines(path).Where(l => l.Length > 0).Chunk(EventsPerBatch))
            {
                await SendWithRetriesAsync(EventList(batch));
                sent += batch.Length;
            }
        }

        return sent;
    }

    public static string EventList(IEnumerable<string> lines)
    {
        var items = new JsonArray();
        foreach (var line in lines)
        {
            var item = JsonNode.Parse(line)!.AsObject();
            item.Remove("kind");
            item.Remove("apiVersion");
            items.Add(item);
        }

        return new JsonObject { ["kind"] = "EventList", ["apiVersion"] = "audit.k8s.io/v1", ["metadata"] = new JsonObject(), ["items"] = items }.ToJsonString();
    }

    /// <summary>The apiserver's retry: the same batch again after a growing backoff, up to <see cref="MaxAttempts"/> tries.</summary>
    public async Task SendWithRetriesAsync(string body)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            using var response = await PostAsync(body);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _tooManyRequests);
            }

            if (attempt == MaxAttempts)
            {
                throw new HttpRequestException($"batch refused {MaxAttempts} times, last with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    public Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/json") =>
        _http.PostAsync(_endpoint, new StringContent(body, Encoding.UTF8, contentType));

    public void Dispose() => _http.Dispose();
}
