using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Webhook;

/// <summary>
/// Kestrel's limits as AuditWatch sets them: a slow-loris client sending headers a byte at a time, a body trickled
/// below the minimum rate, and too many or too large headers are cut off while other clients are still served.
/// The limits are set lower than Kestrel's defaults here, so a limit that is not wired through fails its test.
/// </summary>
public sealed class SlowAndOversizedClientTests : IAsyncLifetime
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-slow-").FullName;
    private AuditWatchProcess _service = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _service = AuditWatchProcess.Start(
            _workingDirectory,
            https: false,
            "--Webhook:HeadersTimeout=00:00:02",
            "--Webhook:MinBodyBytesPerSecond=2000",
            "--Webhook:MinBodyRateGracePeriod=00:00:02",
            "--Webhook:MaxRequestHeaderCount=20",
            "--Webhook:MaxRequestHeadersBytes=8192");
        _http = new HttpClient();
        await _service.WaitReadyAsync(_http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _service.DisposeAsync();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task A_slow_loris_sending_headers_byte_by_byte_is_disconnected_while_others_are_served()
    {
        using var loris = new TcpClient();
        await loris.ConnectAsync(IPAddress.Loopback, _service.BaseAddress.Port);
        var stream = loris.GetStream();
        var headers = Encoding.ASCII.GetBytes("POST /audit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Padding: " + new string('a', 200));
        var elapsed = Stopwatch.StartNew();
        var served = 0;
        var disconnected = false;
        foreach (var b in headers)
        {
            try
            {
                await stream.WriteAsync(new[] { b });
            }
            catch (IOException)
            {
                disconnected = true;
                break;
            }

            if (loris.Client.Poll(0, SelectMode.SelectRead) || elapsed.Elapsed > TimeSpan.FromSeconds(12))
            {
                break;
            }

            using var health = await _http.GetAsync(new Uri(_service.BaseAddress, "/healthz"));
            served += health.IsSuccessStatusCode ? 1 : 0;
            await Task.Delay(100);
        }

        var after = elapsed.Elapsed;

        // Kestrel answers 408 and closes; a write may still land in the socket buffer, so the read tells.
        disconnected |= await ClosedWithinAsync(stream, TimeSpan.FromSeconds(5)) is { } answer && (answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal));
        Assert.True(disconnected, "the slow-loris connection was still open");
        Assert.True(after < TimeSpan.FromSeconds(10), $"disconnected only after {after}");
        Assert.True(served >= 2, $"only {served} health checks were served meanwhile");
    }

    [Fact]
    public async Task A_body_trickled_below_the_minimum_rate_is_cut_off()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _service.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /audit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"items\":["));
        var elapsed = Stopwatch.StartNew();
        var cutOff = false;

        // 1000 bytes/s: above Kestrel's default minimum (240), below the configured 2000.
        while (elapsed.Elapsed < TimeSpan.FromSeconds(12) && !cutOff)
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(new string(' ', 100)));
            }
            catch (IOException)
            {
                cutOff = true;
            }

            cutOff |= client.Client.Poll(0, SelectMode.SelectRead);
            await Task.Delay(100);
        }

        var after = elapsed.Elapsed;
        var answer = cutOff ? await ClosedWithinAsync(stream, TimeSpan.FromSeconds(5)) : null;
        Assert.True(cutOff, "the trickling upload was never cut off");
        Assert.True(answer is null || answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        Assert.True(after < TimeSpan.FromSeconds(10), $"cut off only after {after}");
        Assert.Equal(0, await MetricsScrape.ValueAsync(_http, _service.BaseAddress, "auditwatch_events_decoded_total{source=\"webhook\"}"));
    }

    [Fact]
    public async Task Too_many_headers_get_431()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_service.BaseAddress, "/audit"))
        {
            Content = new StringContent("{\"items\":[]}", Encoding.UTF8, "application/json"),
        };
        for (var i = 0; i < 30; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Header-{i}", "v");
        }

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_huge_header_gets_431()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_service.BaseAddress, "/audit"))
        {
            Content = new StringContent("{\"items\":[]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Huge", new string('a', 12_000));

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    /// <summary>What the server sent before closing, or null if it kept the connection open past the wait.</summary>
    private static async Task<string?> ClosedWithinAsync(NetworkStream stream, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return received.ToString();
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            return received.ToString();
        }
    }
}
