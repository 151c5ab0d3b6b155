using System.Diagnostics;
using System.Text.Json;
using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Kafka;

/// <summary>
/// Kafka ingestion against the mock cluster inside librdkafka (three brokers on loopback): consumer groups, two
/// detectors splitting the partitions, poison messages, the forwarder, a detector killed mid-stream.
/// </summary>
public sealed class MockClusterTests : IDisposable
{
    private const string Topic = "k8s-audit";
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

    private static readonly string[] Files =
    [
        Incidents.Fixture("perfspec_helm_audit.jsonl"),
        Incidents.Sample("secret-burst.jsonl"),
        Incidents.Sample("cluster-wide-list.jsonl"),
        Incidents.Sample("impersonation.jsonl"),
    ];

    /// <summary>
    /// A detector in the consumer group. Its session timeout is 10 s instead of librdkafka's 45 s because the mock
    /// cluster waits one session timeout, less a second, for members to rejoin after any join or leave once the group
    /// has formed, and starts that wait again each time a follower loses a race it has with the leader: the mock ends
    /// the sync as soon as the leader's SyncGroup arrives and answers a follower's later SyncGroup with "Invalid
    /// request", so the follower joins again (seen in librdkafka's cgrp debug log). A real broker waits for all.
    /// </summary>
    private AuditWatchProcess Detector(string groupId = "detectors", params string[] extra)
    {
        var directory = Directory.CreateTempSubdirectory("auditwatch-kafka-").FullName;
        _directories.Add(directory);
        return AuditWatchProcess.Start(directory, https: false, [$"--Kafka:BootstrapServers={_kafka.BootstrapServers}", $"--Kafka:Topic={Topic}", $"--Kafka:GroupId={groupId}", "--Kafka:Consumer:topic.metadata.refresh.interval.ms=1000", "--Kafka:Consumer:session.timeout.ms=10000", .. extra]);
    }

    private static Task<double> Consumed(HttpClient http, AuditWatchProcess service) =>
        MetricsScrape.ValueAsync(http, service.BaseAddress, "auditwatch_kafka_messages_total");

    private static async Task<bool> HasSample(HttpClient http, AuditWatchProcess service, string name) =>
        (await http.GetStringAsync(new Uri(service.BaseAddress, "/metrics"))).Split('\n').Any(line => line.StartsWith(name + " ", StringComparison.Ordinal));

    private static Task<double> Assigned(HttpClient http, AuditWatchProcess service) =>
        MetricsScrape.ValueAsync(http, service.BaseAddress, "auditwatch_kafka_assigned_partitions");

    [Fact]
    public async Task Audit_events_on_a_topic_raise_the_same_alerts_as_replay()
    {
        await _kafka.CreateTopicAsync(Topic);
        var messages = Files.SelectMany(KafkaMessages.FromLines).ToList();
        await _kafka.ProduceAsync(Topic, messages);
        await using var detector = Detector();
        using var http = new HttpClient();
        await detector.WaitReadyAsync(http);

        await MetricsScrape.WaitForAsync(http, detector.BaseAddress, "auditwatch_kafka_messages_total", messages.Count);
        // Requests wait up to the allowed lateness (60 s) of idle time for the watermark before they count as evaluated.
        await AccountingCheck.AssertBalancedAtRestAsync(http, detector.BaseAddress, TimeSpan.FromSeconds(180));
        await detector.StopAsync();

        Assert.Equal(await Incidents.ReplayFiringAsync(Files), Incidents.Firing(detector.StdoutLines));
        AccountingCheck.AssertBalancedAtStop(detector);
    }

    [Fact]
    public async Task Every_message_shape_and_envelope_is_read()
    {
        await _kafka.CreateTopicAsync(Topic);
        var lines = File.ReadAllLines(Incidents.Sample("secret-burst.jsonl"));
        var key = "one-partition";

        // The same events as JSON lines, an EventList, a single Event, and an EKS envelope, all in one partition.
        var messages = new List<(string, string)> { (key, string.Join("\n", lines[..100])) };
        messages.Add((key, WebhookClient.EventList(lines[100..200])));
        messages.AddRange(lines[200..250].Select(line => (key, line)));
        messages.Add((key, EksEnvelope(lines[250..])));
        await _kafka.ProduceAsync(Topic, messages);
        await using var detector = Detector();
        using var http = new HttpClient();
        await detector.WaitReadyAsync(http);

        await MetricsScrape.WaitForAsync(http, detector.BaseAddress, "auditwatch_events_decoded_total{source=\"kafka\"}", lines.Length);
        await detector.StopAsync();

        Assert.Equal(await Incidents.ReplayFiringAsync(Incidents.Sample("secret-burst.jsonl")), Incidents.Firing(detector.StdoutLines));
    }

    [Fact]
    public async Task Two_detectors_split_the_identities_and_raise_each_incident_once()
    {
        var partitions = await _kafka.CreateTopicAsync(Topic);
        await using var first = Detector();
        await using var second = Detector();
        using var http = new HttpClient();
        await first.WaitReadyAsync(http);
        await second.WaitReadyAsync(http);
        // The group has settled when the two own all partitions between them, each at least one (a slow joiner can be
        // left out of one round and take its share in the next; each lost sync race above costs another round).
        var owned = (First: 0.0, Second: 0.0);
        bool Settled() => owned.First > 0 && owned.Second > 0 && owned.First + owned.Second == partitions;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(150) && !Settled())
        {
            await Task.Delay(100);
            owned = (await Assigned(http, first), await Assigned(http, second));
        }

        Assert.True(Settled(), $"the group should split {partitions} partitions, got {owned}");

        var messages = Files.SelectMany(KafkaMessages.FromLines).ToList();
        await _kafka.ProduceAsync(Topic, messages);
        for (var i = 0; i < 300 && await Consumed(http, first) + await Consumed(http, second) < messages.Count; i++)
        {
            await Task.Delay(200);
        }

        var split = (await Consumed(http, first), await Consumed(http, second));
        await first.StopAsync();
        await second.StopAsync();

        Assert.True(split.Item1 > 0 && split.Item2 > 0, $"both detectors should have partitions, got {split}");
        Assert.Equal(messages.Count, split.Item1 + split.Item2);
        var together = Incidents.Firing(first.StdoutLines.Concat(second.StdoutLines));
        Assert.Equal(await Incidents.ReplayFiringAsync(Files), together);
    }

    [Fact]
    public async Task A_rebalance_mid_stream_rebuilds_windows_without_raising_incidents_again()
    {
        await _kafka.CreateTopicAsync(Topic);
        var lines = File.ReadAllLines(Incidents.Sample("secret-burst.jsonl"));
        var key = "same-partition";
        using var http = new HttpClient();

        // The first detector sees the burst begin and raises it, then leaves; the second takes the partition over.
        await _kafka.ProduceAsync(Topic, lines[..200].Select(line => (key, line)));
        var first = Detector();
        await first.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, first.BaseAddress, "auditwatch_kafka_messages_total", 200);
        await first.StopAsync();
        await _kafka.ProduceAsync(Topic, lines[200..].Select(line => (key, line)));
        await using var second = Detector();
        await second.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, second.BaseAddress, "auditwatch_events_decoded_total{source=\"kafka\"}", lines.Length - 200);

        // The stream goes quiet; idle time moves the watermark until the incident's window closes.
        for (var i = 0; i < 600 && !second.StdoutLines.Any(IsBurstResolution); i++)
        {
            await Task.Delay(200);
        }

        await second.StopAsync();
        await first.DisposeAsync();

        Assert.Contains("replaying", second.Stderr, StringComparison.Ordinal);
        var firstFiring = Incidents.Firing(first.StdoutLines);
        var secondFiring = Incidents.Firing(second.StdoutLines);
        Assert.Contains(firstFiring, f => f.StartsWith("secret-read-burst ", StringComparison.Ordinal));
        Assert.DoesNotContain(secondFiring, f => f.StartsWith("secret-read-burst ", StringComparison.Ordinal));
        Assert.Equal(await Incidents.ReplayFiringAsync(Incidents.Sample("secret-burst.jsonl")), firstFiring.Concat(secondFiring).Order(StringComparer.Ordinal).ToList());

        // The first left the incident open when it handed the partition over; the second, carrying it on, ends it.
        Assert.DoesNotContain(first.StdoutLines, IsBurstResolution);
        Assert.Single(second.StdoutLines, IsBurstResolution);
        AccountingCheck.AssertBalancedAtStop(first);
        AccountingCheck.AssertBalancedAtStop(second);
    }

    [Fact]
    public async Task A_detector_leaving_while_requests_wait_for_the_watermark_loses_none_of_their_alerts()
    {
        await _kafka.CreateTopicAsync(Topic);
        var file = Incidents.Sample("secret-burst.jsonl");
        var lines = File.ReadAllLines(file);
        var key = "same-partition";
        using var http = new HttpClient();

        // The stolen token's first reads (10:02:00-10:02:15) are the newest 16 s the first detector sees: inside the
        // allowed lateness (60 s), so they are still waiting for the watermark when it leaves.
        const int handOverAt = 70;
        await _kafka.ProduceAsync(Topic, lines[..handOverAt].Select(line => (key, line)));
        var first = Detector();
        await first.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, first.BaseAddress, "auditwatch_kafka_messages_total", handOverAt);
        await first.StopAsync();
        await _kafka.ProduceAsync(Topic, lines[handOverAt..].Select(line => (key, line)));
        await using var second = Detector();
        await second.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, second.BaseAddress, "auditwatch_events_decoded_total{source=\"kafka\"}", lines.Length - handOverAt);
        await AccountingCheck.AssertBalancedAtRestAsync(http, second.BaseAddress, TimeSpan.FromSeconds(180));
        await second.StopAsync();
        await first.DisposeAsync();

        var together = Incidents.Firing(first.StdoutLines.Concat(second.StdoutLines));
        Assert.Equal(await Incidents.ReplayFiringAsync(file), together);

        // The first really left requests waiting (on a machine slow enough to idle past them, the test proves nothing).
        Assert.True(AccountingCheck.AssertBalancedAtStop(first)["requests"]["abandoned"] > 0, "the first detector left no request waiting");
        AccountingCheck.AssertBalancedAtStop(second);
    }

    private static bool IsBurstResolution(string line) =>
        line.Contains("\"rule\":\"secret-read-burst\"", StringComparison.Ordinal) && line.Contains("\"status\":\"resolved\"", StringComparison.Ordinal);

    [Fact]
    public async Task Messages_without_audit_events_go_to_the_dead_letter_topic()
    {
        await _kafka.CreateTopicAsync(Topic);
        await _kafka.CreateTopicAsync("k8s-audit-dead");
        var good = File.ReadLines(Incidents.Sample("cluster-wide-list.jsonl")).Take(20).Select(l => ("k", l)).ToList();
        await _kafka.ProduceAsync(Topic, [("k", "this is not json"), .. good, ("k", "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}")]);
        await using var detector = Detector("detectors", "--Kafka:DeadLetterTopic=k8s-audit-dead");
        using var http = new HttpClient();
        await detector.WaitReadyAsync(http);

        await MetricsScrape.WaitForAsync(http, detector.BaseAddress, "auditwatch_kafka_dead_lettered_total", 2);

        // A message is dead-lettered while its run is decoded, before the run's events are handed over and counted.
        await MetricsScrape.WaitForAsync(http, detector.BaseAddress, "auditwatch_events_decoded_total{source=\"kafka\"}", 20);
        var decoded = await MetricsScrape.ValueAsync(http, detector.BaseAddress, "auditwatch_events_decoded_total{source=\"kafka\"}");
        await detector.StopAsync();
        var dead = KafkaMessages.Consume(_kafka.BootstrapServers, "k8s-audit-dead", 2);

        Assert.Equal(20, decoded);
        Assert.Equal(["this is not json", "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}"], dead.Select(d => d.Value));
        Assert.Contains("expected a JSON object", dead[0].Key, StringComparison.Ordinal);
        Assert.Contains("kind is 'Pod'", dead[1].Key, StringComparison.Ordinal);

        // Each error names the partition and the offset of its message, then the line inside it.
        Assert.Matches($"^kafka:{Topic}/[0-9]+@0:1: ", dead[0].Key);
        Assert.Matches($"^kafka:{Topic}/[0-9]+@21:1: ", dead[1].Key);
    }

    [Fact]
    public async Task The_forwarder_keys_events_by_identity_and_a_detector_raises_what_replay_raises()
    {
        await _kafka.CreateTopicAsync(Topic);
        var forwarderDirectory = Directory.CreateTempSubdirectory("auditwatch-forwarder-").FullName;
        _directories.Add(forwarderDirectory);
        await using var forwarder = AuditWatchProcess.Start(forwarderDirectory, https: false, $"--Kafka:BootstrapServers={_kafka.BootstrapServers}", $"--Kafka:Topic={Topic}", "--Kafka:Forward=true");
        await using var detector = Detector();
        using var client = new WebhookClient(forwarder.BaseAddress);
        await forwarder.WaitReadyAsync(client.Http);
        await detector.WaitReadyAsync(client.Http);

        var sent = await client.SendFilesAsync(Incidents.Sample("secret-burst.jsonl"), Incidents.Sample("impersonation.jsonl"));
        var produced = await MetricsScrape.ValueAsync(client.Http, forwarder.BaseAddress, "auditwatch_kafka_produced_total");
        await MetricsScrape.WaitForAsync(client.Http, detector.BaseAddress, "auditwatch_kafka_messages_total", sent);

        // Only a consumer reports partitions: a forwarder's 0 would raise AuditWatchKafkaConsumerIdle.
        Assert.True(await HasSample(client.Http, detector, "auditwatch_kafka_assigned_partitions"), "the detector reports no partitions");
        Assert.False(await HasSample(client.Http, forwarder, "auditwatch_kafka_assigned_partitions"), "the forwarder reports partitions");
        await forwarder.StopAsync();
        await detector.StopAsync();
        var onTopic = KafkaMessages.Consume(_kafka.BootstrapServers, Topic, sent);

        Assert.Equal(sent, produced);
        Assert.Empty(forwarder.StdoutLines);
        Assert.All(onTopic, message => Assert.Equal(message.Key, JsonDocument.Parse(message.Value).RootElement.GetProperty("user").GetProperty("username").GetString()));
        Assert.Equal(await Incidents.ReplayFiringAsync(Incidents.Sample("secret-burst.jsonl"), Incidents.Sample("impersonation.jsonl")), Incidents.Firing(detector.StdoutLines));
    }

    [Fact]
    public async Task Broker_errors_and_a_broker_outage_delay_but_lose_nothing()
    {
        await _kafka.CreateTopicAsync(Topic);
        var messages = Files.SelectMany(KafkaMessages.FromLines).ToList();
        await _kafka.ProduceAsync(Topic, messages);
        MockClusterFaults.PushRequestErrors(_kafka.Owner, MockClusterFaults.Fetch, Enumerable.Repeat(MockClusterFaults.NotLeaderForPartition, 5).ToArray());
        MockClusterFaults.PushRequestErrors(_kafka.Owner, MockClusterFaults.OffsetCommit, MockClusterFaults.RequestTimedOut, MockClusterFaults.CoordinatorNotAvailable);
        await using var detector = Detector();
        using var http = new HttpClient();
        await detector.WaitReadyAsync(http);
        await MetricsScrape.WaitForAsync(http, detector.BaseAddress, "auditwatch_kafka_messages_total", messages.Count / 3);
        MockClusterFaults.SetBrokerDown(_kafka.Owner, 2);
        await Task.Delay(TimeSpan.FromSeconds(2));
        MockClusterFaults.SetBrokerUp(_kafka.Owner, 2);

        await MetricsScrape.WaitForAsync(http, detector.BaseAddress, "auditwatch_kafka_messages_total", messages.Count);
        await AccountingCheck.AssertBalancedAtRestAsync(http, detector.BaseAddress, TimeSpan.FromSeconds(180));
        await detector.StopAsync();

        Assert.Equal(await Incidents.ReplayFiringAsync(Files), Incidents.Firing(detector.StdoutLines));
        AccountingCheck.AssertBalancedAtStop(detector);
    }

    private static string EksEnvelope(IEnumerable<string> lines)
    {
        var payload = JsonSerializer.Serialize(new
        {
            messageType = "DATA_MESSAGE",
            logGroup = "/aws/eks/demo/cluster",
            logEvents = lines.Select((line, i) => new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp = i, message = line }),
        });
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(payload));
        }

        return JsonSerializer.Serialize(new { awslogs = new { data = Convert.ToBase64String(buffer.ToArray()) } });
    }
}
