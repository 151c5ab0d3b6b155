using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Formatting;
using AuditWatch.Alerting.Redaction;
using AuditWatch.Alerting.Sinks.Alertmanager;
using AuditWatch.Alerting.Sinks.JsonFile;
using AuditWatch.Alerting.Sinks.Slack;
using AuditWatch.Alerting.Sinks.Webhook;
using AuditWatch.Alerting.Templates;
using AuditWatch.Core.Alerts;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Formatting and delivering one alert (one notification of one incident) per operation through each sink, over an
/// in-memory HTTP transport that reads the body and answers 200 (the file sink appends to a temp file), against
/// serializing the alert to its JSON alone. DeliveryLayer is what every notification pays on top of its sink in
/// production: the secret guard and the retry/timeout pipeline, around a sink that does nothing.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
public class SinkBenchmarks
{
    // The file is emptied this often so that it stays small however many operations a run makes.
    private const int AppendsPerTruncation = 1024;
    private readonly Alert _alert = SampleAlerts.SecretReadBurst();
    private readonly FakeHttpHandler _transport = new();
    private Notification _notification = null!;
    private HttpClient _http = null!;
    private string _directory = null!;
    private string _alertsFile = null!;
    private SlackSink _slack = null!;
    private WebhookSink _webhook = null!;
    private AlertmanagerSink _alertmanager = null!;
    private JsonFileSink _file = null!;
    private SinkDelivery _delivery = null!;
    private int _appends;

    [GlobalSetup]
    public void BuildSinks()
    {
        _notification = new Notification("default", "secret-read-burst/system:serviceaccount:ci:deployer", [_alert]);
        _directory = Directory.CreateTempSubdirectory("auditwatch-sink-bench-").FullName;
        _alertsFile = Path.Combine(_directory, "alerts.jsonl");

        // As AlertingSetup builds them: one HttpClient with the attempt timeout, the default templates.
        _http = new HttpClient(_transport) { Timeout = new DeliveryOptions().AttemptTimeout };
        List<string> errors = [];
        var context = new SinkContext(_http, TimeProvider.System, AlertTemplates.From(new ConfigurationBuilder().Build(), errors), _directory);
        _slack = new SlackSink(new Uri("https://hooks.slack.com/services/T0000/B0000/XXXXXXXX"), context);
        _webhook = new WebhookSink(new Uri("https://siem.example/auditwatch"), "benchmark-signing-key"u8.ToArray(), context);
        _alertmanager = new AlertmanagerSink(new Uri("https://alertmanager.example/api/v2/alerts"), new AlertmanagerOptions(), context);
        _file = new JsonFileSink(_alertsFile);
        var deadLetter = new DeadLetterFile(Path.Combine(_directory, "dead-letter.jsonl"), TimeProvider.System);
        _delivery = new SinkDelivery(new DiscardingSink(), new DeliveryOptions(), deadLetter, new DeliveryCounters(), TimeProvider.System, NullLogger.Instance);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }

        ShowBodySize(nameof(Slack), Slack);
        ShowBodySize(nameof(Webhook), Webhook);
        ShowBodySize(nameof(Alertmanager), Alertmanager);
        if (DeliveryLayer().GetAwaiter().GetResult() is { } error)
        {
            throw new InvalidOperationException($"the delivery layer failed: {error}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int AlertJsonOnly() => AlertJson.Serialize(_alert).Length;

    [Benchmark]
    public Task Slack() => _slack.SendAsync(_notification, CancellationToken.None);

    [Benchmark]
    public Task Webhook() => _webhook.SendAsync(_notification, CancellationToken.None);

    [Benchmark]
    public Task Alertmanager() => _alertmanager.SendAsync(_notification, CancellationToken.None);

    [Benchmark]
    public Task JsonFile()
    {
        if (++_appends % AppendsPerTruncation == 0)
        {
            File.WriteAllBytes(_alertsFile, []);
        }

        return _file.SendAsync(_notification, CancellationToken.None);
    }

    /// <summary>As <see cref="SinkDelivery.RunAsync"/> delivers each queued notification.</summary>
    [Benchmark]
    public Task<string?> DeliveryLayer() => _delivery.DeliverAsync(SecretGuard.Scrub(_notification), CancellationToken.None);

    /// <summary>Proves the sink's body went through the transport, and shows its size in the log.</summary>
    private void ShowBodySize(string sink, Func<Task> send)
    {
        var (requests, bytes) = (_transport.Requests, _transport.BodyBytes);
        send().GetAwaiter().GetResult();
        if (_transport.Requests != requests + 1 || _transport.BodyBytes == bytes)
        {
            throw new InvalidOperationException($"{sink} did not send one request with a body through the fake transport");
        }

        Console.WriteLine($"// {sink}: {_transport.BodyBytes - bytes} body bytes per notification");
    }

    private sealed class DiscardingSink : IAlertSink
    {
        public string Name => "discard";

        public Task SendAsync(Notification notification, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
