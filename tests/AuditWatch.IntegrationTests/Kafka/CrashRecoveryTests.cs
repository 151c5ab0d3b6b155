using AuditWatch.IntegrationTests.Support;
using Confluent.Kafka;

namespace AuditWatch.IntegrationTests.Kafka;

/// <summary>A detector killed (SIGKILL) mid-stream loses nothing: its successor starts exactly at what it had committed.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const string Topic = "k8s-audit";
    private const string Group = "detectors";
    private readonly MockKafkaCluster _kafka = new();
    private readonly List<string> _directories = [];

    public void Dispose()
    {
        _kafka.Dispose();
        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private AuditWatchProcess Detector()
    {
        var directory = Directory.CreateTempSubdirectory("auditwatch-crash-").FullName;
        _directories.Add(directory);

        // Frequent commits, so that a kill lands between commits in the middle of the topic.
        return AuditWatchProcess.Start(
            directory,
            https: false,
            $"--Kafka:BootstrapServers={_kafka.BootstrapServers}",
            $"--Kafka:Topic={Topic}",
            $"--Kafka:GroupId={Group}",
            "--Kafka:Consumer:auto.commit.interval.ms=100");
    }

    [Fact]
    public async Task A_killed_detector_loses_nothing()
    {
        await _kafka.CreateTopicAsync(Topic);
        // Four passes over the PerfSPEC capture: enough that the detector is still busy when it is killed.
        var messages = Enumerable.Range(0, 4).SelectMany(_ => KafkaMessages.FromLines(Incidents.Fixture("perfspec_helm_audit.jsonl"))).ToList();
        await _kafka.ProduceAsync(Topic, messages);
        using var http = new HttpClient();

        var first = Detector();
        await first.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, first.BaseAddress, "auditwatch_kafka_messages_total", messages.Count / 10);
        await first.DisposeAsync();

        // A commit the killed process had already sent may still reach the broker after its death: wait until the
        // committed offsets stop moving.
        var committedAtCrash = CommittedTotal();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(500);
            var now = CommittedTotal();
            if (now == committedAtCrash)
            {
                break;
            }

            committedAtCrash = now;
        }

        await using var second = Detector();
        await second.WaitReadyAsync(http);
        for (var i = 0; i < 300 && CommittedTotal() < messages.Count; i++)
        {
            await Task.Delay(200);
        }

        var decodedBySecond = await MetricsScrape.ValueAsync(http, second.BaseAddress, "auditwatch_events_decoded_total{source=\"kafka\"}");
        await second.StopAsync();

        Assert.InRange(committedAtCrash, 1, messages.Count - 1);
        Assert.Equal(messages.Count, CommittedTotal());
        Assert.Equal(messages.Count - committedAtCrash, decodedBySecond);
    }

    /// <summary>The group's committed offsets, summed over partitions (an OffsetFetch; the reader does not join the group).</summary>
    private long CommittedTotal()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(p => new TopicPartition(Topic, p.PartitionId)).ToList();
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = Group }).Build();
        return reader.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(p => Math.Max(0, p.Offset.Value));
    }
}
