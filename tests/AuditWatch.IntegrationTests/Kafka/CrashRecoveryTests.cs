using System.Diagnostics;
using AuditWatch.IntegrationTests.Support;
using Confluent.Kafka;

namespace AuditWatch.IntegrationTests.Kafka;

/// <summary>A detector killed (SIGKILL) mid-stream loses nothing: its successor starts exactly at what it had committed.</summary>
/// <remarks>
/// A mock partition keeps only its last 5 MB (librdkafka's mock cluster trims older messages), and four passes over the
/// capture are more than that: what the killed detector had not committed and the topic no longer holds is gone for
/// any consumer, so the successor's share is counted from the later of its committed offset and the partition's start.
/// </remarks>
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

        // Frequent commits, so that a kill lands between commits in the middle of the topic. The killed detector stays
        // a member until its session times out, and the mock cluster makes a joining member wait that long less a
        // second before it elects a leader: 10 s instead of the default 45 s keeps the successor's start short.
        return AuditWatchProcess.Start(
            directory,
            https: false,
            $"--Kafka:BootstrapServers={_kafka.BootstrapServers}",
            $"--Kafka:Topic={Topic}",
            $"--Kafka:GroupId={Group}",
            "--Kafka:Consumer:auto.commit.interval.ms=100",
            "--Kafka:Consumer:session.timeout.ms=10000");
    }

    [Fact]
    public async Task A_killed_detector_loses_nothing()
    {
        await _kafka.CreateTopicAsync(Topic);
        // Four passes over the PerfSPEC capture, two before the crash and two after it: the detector is killed
        // mid-stream however fast it is.
        var pass = KafkaMessages.FromLines(Incidents.Fixture("perfspec_helm_audit.jsonl")).ToList();
        List<(string Key, string Value)> messages = [.. pass, .. pass, .. pass, .. pass];
        await _kafka.ProduceAsync(Topic, messages.Take(2 * pass.Count));
        using var http = new HttpClient();

        var first = Detector();
        await first.WaitReadyAsync(http);
        await WaitForFirstCommitAsync();
        await first.DisposeAsync();

        // A commit the killed process had already sent may still reach the broker after its death: wait until the
        // committed offsets stop moving.
        var committedAtCrash = Committed();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(500);
            var now = Committed();
            if (now.SequenceEqual(committedAtCrash))
            {
                break;
            }

            committedAtCrash = now;
        }

        await _kafka.ProduceAsync(Topic, messages.Skip(2 * pass.Count));
        var leftForSuccessor = LeftToRead(committedAtCrash);

        await using var second = Detector();
        await second.WaitReadyAsync(http);
        var successorDeadline = Stopwatch.StartNew();
        while (CommittedTotal() < messages.Count && successorDeadline.Elapsed < TimeSpan.FromSeconds(180))
        {
            await Task.Delay(200);
        }

        var decodedBySecond = await MetricsScrape.ValueAsync(http, second.BaseAddress, "auditwatch_events_decoded_total{source=\"kafka\"}");
        await second.StopAsync();

        Assert.InRange(committedAtCrash.Sum(p => Math.Max(0, p.Offset.Value)), 1, messages.Count - 1);
        Assert.Equal(messages.Count, CommittedTotal());
        Assert.Equal(leftForSuccessor, decodedBySecond);
    }

    /// <summary>Kills only once something was committed, so that the successor resumes mid-topic.</summary>
    private async Task WaitForFirstCommitAsync()
    {
        using var reader = Reader();
        var partitions = Partitions();
        var deadline = Stopwatch.StartNew();
        while (reader.Committed(partitions, TimeSpan.FromSeconds(10)).All(p => p.Offset.Value <= 0))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException("the first detector committed nothing in 90 s; the kill would not land mid-topic");
            }

            await Task.Delay(10);
        }
    }

    private long CommittedTotal() => Committed().Sum(p => Math.Max(0, p.Offset.Value));

    /// <summary>The group's committed offsets by partition (an OffsetFetch; the reader does not join the group).</summary>
    private List<TopicPartitionOffset> Committed()
    {
        using var reader = Reader();
        return [.. reader.Committed(Partitions(), TimeSpan.FromSeconds(10)).OrderBy(p => p.Partition.Value)];
    }

    /// <summary>Messages the topic still holds past the committed offsets: what a successor has to read.</summary>
    private long LeftToRead(List<TopicPartitionOffset> committed)
    {
        using var reader = Reader();
        return committed.Sum(p =>
        {
            var marks = reader.QueryWatermarkOffsets(p.TopicPartition, TimeSpan.FromSeconds(10));
            return marks.High.Value - Math.Max(Math.Max(0, p.Offset.Value), marks.Low.Value);
        });
    }

    private List<TopicPartition> Partitions()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        return [.. admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(Topic, p.PartitionId))];
    }

    private IConsumer<Ignore, Ignore> Reader() =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = Group }).Build();
}
