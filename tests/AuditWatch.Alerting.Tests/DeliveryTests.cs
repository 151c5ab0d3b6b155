using System.Text.Json;
using AuditWatch.Alerting.Delivery;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.Alerting.Tests;

/// <summary>Retries, Retry-After, permanent errors and the dead letter, with a sink that fails on command.</summary>
public sealed class DeliveryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-delivery-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (SinkDelivery Delivery, DeliveryCounters Counters, string DeadLetter) Build(IAlertSink sink, int retries = 3)
    {
        var options = new DeliveryOptions { MaxRetries = retries, InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50), MaxRetryAfter = TimeSpan.FromSeconds(2) };
        var counters = new DeliveryCounters();
        var path = Path.Combine(_directory, "dead-letter.jsonl");
        return (new SinkDelivery(sink, options, new DeadLetterFile(path, TimeProvider.System), counters, TimeProvider.System, NullLogger.Instance), counters, path);
    }

    [Fact]
    public async Task Transient_failures_are_retried_until_delivered()
    {
        var sink = new ScriptedSink(new DeliveryException("503", false), new HttpRequestException("reset"));
        var (delivery, counters, deadLetter) = Build(sink);

        Assert.Null(await delivery.DeliverAsync(new Notification("r", "g", [Alerts.Make()]), CancellationToken.None));

        Assert.Equal(3, sink.Calls);
        Assert.Equal(1, counters.For("scripted").Delivered);
        Assert.Equal(2, counters.For("scripted").FailedAttempts);
        Assert.False(File.Exists(deadLetter));
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var sink = new ScriptedSink(new DeliveryException("429", false, TimeSpan.FromMilliseconds(800)));
        var (delivery, _, _) = Build(sink);

        await delivery.DeliverAsync(new Notification("r", "g", [Alerts.Make()]), CancellationToken.None);

        Assert.True(sink.Gaps[0] >= TimeSpan.FromMilliseconds(700), $"retried after {sink.Gaps[0]}");
    }

    [Fact]
    public async Task A_permanent_error_goes_to_the_dead_letter_without_retrying()
    {
        var sink = new ScriptedSink(new DeliveryException("400 bad payload", true));
        var (delivery, counters, deadLetter) = Build(sink);

        var error = await delivery.DeliverAsync(new Notification("r", "g", [Alerts.Make()]), CancellationToken.None);

        Assert.Equal("400 bad payload", error);
        Assert.Equal(1, sink.Calls);
        Assert.Equal(1, counters.For("scripted").DeadLettered);
        using var line = JsonDocument.Parse(File.ReadLines(deadLetter).Single());
        Assert.Equal("scripted", line.RootElement.GetProperty("sink").GetString());
        Assert.Equal("400 bad payload", line.RootElement.GetProperty("error").GetString());
        Assert.Equal("secret-read-burst", line.RootElement.GetProperty("alerts")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task After_the_retry_budget_it_goes_to_the_dead_letter()
    {
        var sink = new ScriptedSink([.. Enumerable.Repeat<Exception>(new DeliveryException("500", false), 10)]);
        var (delivery, counters, _) = Build(sink, retries: 2);

        Assert.NotNull(await delivery.DeliverAsync(new Notification("r", "g", [Alerts.Make()]), CancellationToken.None));

        Assert.Equal(3, sink.Calls);
        Assert.Equal(1, counters.For("scripted").DeadLettered);
        Assert.Equal("500", counters.Failing()["scripted"]);
    }

    [Fact]
    public async Task A_planted_token_never_reaches_the_sink_or_the_dead_letter()
    {
        const string jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06YWRtaW4ifQ.c2lnbmF0dXJl";
        var sink = new ScriptedSink(new DeliveryException("400", true));
        var (delivery, _, deadLetter) = Build(sink);
        delivery.Enqueue(new Notification("r", "g", [Alerts.Make() with { Summary = "leaked " + jwt, UserAgents = ["Bearer " + jwt] }]));
        delivery.Complete();

        await delivery.RunAsync(CancellationToken.None);

        Assert.DoesNotContain("eyJhbGci", sink.Seen.Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("eyJhbGci", await File.ReadAllTextAsync(deadLetter), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_exception_dead_letters_that_notification_and_the_sink_goes_on()
    {
        var sink = new ScriptedSink(new UnauthorizedAccessException("Access to the path '/alerts.jsonl' is denied."));
        var (delivery, counters, deadLetter) = Build(sink);
        delivery.Enqueue(new Notification("r", "g", [Alerts.Make()]) { NewAlerts = 1 });
        delivery.Enqueue(new Notification("r", "g", [Alerts.Make(incident: "i2")]) { NewAlerts = 1 });
        delivery.Complete();

        await delivery.RunAsync(CancellationToken.None);

        Assert.Equal(2, sink.Calls);
        Assert.Equal(1, counters.For("scripted").AlertsDeadLettered);
        Assert.Equal(1, counters.For("scripted").AlertsDelivered);
        Assert.Contains("is denied", File.ReadAllText(deadLetter), StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_the_shutdown_deadline_a_retrying_sink_gives_up_into_the_dead_letter()
    {
        var sink = new ScriptedSink([.. Enumerable.Repeat<Exception>(new DeliveryException("503", false, TimeSpan.FromSeconds(1)), 100)]);
        var (delivery, counters, deadLetter) = Build(sink, retries: 100);
        delivery.Enqueue(new Notification("r", "g", [Alerts.Make()]) { NewAlerts = 1 });
        delivery.Enqueue(new Notification("r", "g", [Alerts.Make(incident: "i2")]) { NewAlerts = 1 });
        delivery.Complete();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await delivery.RunAsync(deadline.Token);

        Assert.Equal(2, counters.For("scripted").AlertsDeadLettered);
        Assert.Equal(2, File.ReadAllLines(deadLetter).Length);
        Assert.All(File.ReadAllLines(deadLetter), line => Assert.Contains("gave up at shutdown", line, StringComparison.Ordinal));
    }

    private sealed class ScriptedSink(params Exception[] failures) : IAlertSink
    {
        private readonly Queue<Exception> _failures = new(failures);
        private DateTimeOffset? _last;

        public string Name => "scripted";

        public int Calls { get; private set; }

        public List<TimeSpan> Gaps { get; } = [];

        public List<string> Seen { get; } = [];

        public Task SendAsync(Notification notification, CancellationToken cancellationToken)
        {
            Calls++;
            var now = DateTimeOffset.UtcNow;
            if (_last is { } last)
            {
                Gaps.Add(now - last);
            }

            _last = now;
            Seen.Add(AuditWatch.Alerting.Formatting.AlertJson.Serialize(notification.First));
            return _failures.TryDequeue(out var failure) ? Task.FromException(failure) : Task.CompletedTask;
        }
    }
}
