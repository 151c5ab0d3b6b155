using System.Net;
using System.Text.Json;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Webhook;

/// <summary>Bearer-token authentication over HTTPS, and every way a request can be refused.</summary>
public sealed class TokenAndLimitsTests : IAsyncLifetime
{
    private const string Token = "0123456789abcdef-test-token";
    private readonly TestCertificates _pki = new();
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-token-").FullName;
    private AuditWatchProcess _service = null!;
    private WebhookClient _client = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_workingDirectory, "token"), Token + "\n");
        _service = AuditWatchProcess.Start(
            _workingDirectory,
            https: true,
            $"--Webhook:Tls:CertificateFile={_pki.Path("server.crt")}",
            $"--Webhook:Tls:KeyFile={_pki.Path("server.key")}",
            $"--Webhook:TokenFile={Path.Combine(_workingDirectory, "token")}",
            "--Webhook:MaxBodyBytes=200000");
        // Batches of 100: this instance's body limit (200 000 bytes) is set low for the 413 test.
        _client = new WebhookClient(_service.BaseAddress, null, _pki.Authority, Token) { EventsPerBatch = 100 };
        await _service.WaitReadyAsync(_client.Http);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private static string Batch(int take = 10, int skip = 0) =>
        WebhookClient.EventList(File.ReadLines(Incidents.Sample("secret-burst.jsonl")).Skip(skip).Take(take));

    private async Task<double> Decoded() =>
        await MetricsScrape.ValueAsync(_client.Http, _service.BaseAddress, "auditwatch_events_decoded_total{source=\"webhook\"}");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-token")]
    [InlineData("0123456789abcdef-test-tokeN")]
    public async Task Missing_or_wrong_tokens_get_401_and_nothing_is_decoded(string? token)
    {
        using var client = new WebhookClient(_service.BaseAddress, null, _pki.Authority, token is { Length: > 0 } ? token : null);

        using var response = await client.PostAsync(Batch());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await Decoded());
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer 0123456789abcdef-test-toke")]
    [InlineData("Bearer 0123456789abcdef-test-tokenx")]
    [InlineData("Bearer 0123456789ABCDEF-TEST-TOKEN")]
    [InlineData("Bearer 0123456789abcdef test-token")]
    [InlineData("Basic 0123456789abcdef-test-token")]
    [InlineData("0123456789abcdef-test-token")]
    public async Task Empty_near_miss_and_non_bearer_authorization_headers_get_401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_service.BaseAddress, "/audit"))
        {
            Content = new StringContent(Batch(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var anonymous = new WebhookClient(_service.BaseAddress, null, _pki.Authority);

        using var response = await anonymous.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await Decoded());
    }

    [Fact]
    public async Task The_right_token_is_accepted()
    {
        using var response = await _client.PostAsync(Batch());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, (await response.Content.ReadFromJsonDocument()).RootElement.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Alerts_seen_live_over_a_token_equal_those_of_replay()
    {
        string[] files = [Incidents.Fixture("audit2rbac_demo.log"), Incidents.Fixture("falco_secret_create_with_data.jsonl"), Incidents.Sample("secret-burst.jsonl")];

        var sent = await _client.SendFilesAsync(files);
        Assert.Equal(0, await _service.StopAsync());

        Assert.Equal(files.Sum(f => File.ReadLines(f).Count(l => l.Length > 0)), sent);
        Assert.Equal(await Incidents.ReplayAsync(files), Incidents.Final(_service.StdoutLines));
    }

    [Fact]
    public async Task A_rotated_token_file_is_picked_up()
    {
        await File.WriteAllTextAsync(Path.Combine(_workingDirectory, "token"), "rotated-token-value");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var rotated = new WebhookClient(_service.BaseAddress, null, _pki.Authority, "rotated-token-value");

        using var withNew = await rotated.PostAsync(Batch());
        using var withOld = await _client.PostAsync(Batch());

        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
    }

    [Fact]
    public async Task A_malformed_body_gets_400_naming_the_problem()
    {
        using var response = await _client.PostAsync("{\"kind\":\"EventList\",\"items\":[{\"verb\":3}]}");
        var body = await response.Content.ReadFromJsonDocument();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no valid audit event", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("'verb' must be a string, found Number", body.RootElement.GetProperty("rejected")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task One_bad_item_does_not_reject_the_others()
    {
        var lines = File.ReadLines(Incidents.Sample("secret-burst.jsonl")).Take(4).ToList();
        var body = WebhookClient.EventList(lines).Replace("\"items\":[", "\"items\":[{\"not\":\"an event\"},", StringComparison.Ordinal);

        using var response = await _client.PostAsync(body);
        var answer = await response.Content.ReadFromJsonDocument();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, answer.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(0, answer.RootElement.GetProperty("rejected")[0].GetProperty("item").GetInt32());
        Assert.Equal(1, await MetricsScrape.ValueAsync(_client.Http, _service.BaseAddress, "auditwatch_events_rejected_total{source=\"webhook\",reason=\"NotAnEvent\"}"));
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        using var response = await _client.PostAsync(Batch(take: 300));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await Decoded());
    }

    [Fact]
    public async Task A_gzip_body_bomb_is_stopped_at_the_limit()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[5_000_000]);
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await _client.Http.PostAsync(new Uri(_service.BaseAddress, "/audit"), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_non_json_content_type_gets_415()
    {
        using var response = await _client.PostAsync(Batch(), "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_redelivered_batch_counts_once()
    {
        var batch = Batch(take: 50);
        using var first = await _client.PostAsync(batch);
        var afterFirst = await SettledAsync("auditwatch_requests_total", 50);
        using var again = await _client.PostAsync(batch);
        var afterSecond = await SettledAsync("auditwatch_requests_total", 100);

        var redeliveries = await Metric("auditwatch_stages_ignored_total{reason=\"redelivery\"}");
        var requestReceived = await Metric("auditwatch_stages_ignored_total{reason=\"request_received\"}");
        Assert.True(afterFirst > 0);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(50 - (requestReceived / 2), redeliveries);
    }

    private Task<double> Metric(string sample) => MetricsScrape.ValueAsync(_client.Http, _service.BaseAddress, sample);

    /// <summary>Waits until the given number of webhook events went through detection, then reads the sample.</summary>
    private async Task<double> SettledAsync(string sample, int decoded)
    {
        await MetricsScrape.WaitForAsync(_client.Http, _service.BaseAddress, "auditwatch_events_decoded_total{source=\"webhook\"}", decoded);
        for (var i = 0; i < 100 && await Metric("auditwatch_queue_depth_events") > 0; i++)
        {
            await Task.Delay(50);
        }

        return await Metric(sample);
    }
}

internal static class ResponseContent
{
    public static async Task<JsonDocument> ReadFromJsonDocument(this HttpContent content) =>
        JsonDocument.Parse(await content.ReadAsStringAsync());
}
