using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Kafka;

/// <summary>Interop with a real Apache Kafka broker process (0.9.0.1, with ZooKeeper), through the pass-through settings.</summary>
public sealed class RealBrokerTests : IAsyncLifetime
{
    private readonly RealKafkaBroker _broker = new();
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("auditwatch-real-kafka-").FullName;

    public Task InitializeAsync() => _broker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task Events_on_a_real_broker_raise_the_same_alerts_as_replay()
    {
        string[] files = [Incidents.Sample("secret-burst.jsonl"), Incidents.Sample("impersonation.jsonl")];
        var messages = files.SelectMany(KafkaMessages.FromLines).ToList();
        await KafkaMessages.ProduceAsync(_broker.BootstrapServers, "k8s-audit", messages, new Dictionary<string, string>(RealKafkaBroker.ClientSettings));
        await using var detector = AuditWatchProcess.Start(
            _workingDirectory,
            https: false,
            $"--Kafka:BootstrapServers={_broker.BootstrapServers}",
            "--Kafka:Topic=k8s-audit",
            "--Kafka:Consumer:api.version.request=false",
            "--Kafka:Consumer:broker.version.fallback=0.9.0.1",
            "--Kafka:Consumer:session.timeout.ms=10000",
            "--Kafka:Producer:api.version.request=false",
            "--Kafka:Producer:broker.version.fallback=0.9.0.1");
        using var http = new HttpClient();
        await detector.WaitReadyAsync(http);

        await MetricsScrape.WaitForAsync(http, detector.BaseAddress, "auditwatch_kafka_messages_total", messages.Count);
        await detector.StopAsync();

        Assert.Equal(await Incidents.ReplayFiringAsync(files), Incidents.Firing(detector.StdoutLines));
    }
}
