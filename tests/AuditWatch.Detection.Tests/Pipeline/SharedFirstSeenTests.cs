using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Detection.Tests.Detectors;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// A service's lanes (one per Kafka partition, one for its webhook and files) share what a first_seen rule learned: a
/// tuple is new once per service, not once per lane, whichever partitions its events came through.
/// </summary>
public sealed class SharedFirstSeenTests : IDisposable
{
    private static readonly DateTimeOffset T0 = AuditEvents.T0;

    private static readonly Rule NewSource = TestRules.Parse("""
        id: new-source
        title: New source
        severity: low
        kind: first_seen
        where: { field: secret.read, equals: true }
        key: [source_ip]
        learn: 1d
        """);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("auditwatch-shared-first-seen-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private static AuditEvent Read(string user, string ip, DateTimeOffset time) =>
        AuditEvents.SecretGet(user, "ci", "token", time) with { SourceIps = [ip] };

    // Two lanes running at once, as DetectionLane makes them: each a pipeline of its own on a copy of the options.
    private static (IReadOnlyList<Alert> First, IReadOnlyList<Alert> Second) TwoLanes(
        DetectionOptions first, DetectionOptions second, IEnumerable<AuditEvent> toFirst, IEnumerable<AuditEvent> toSecond)
    {
        var firstEvents = new Subject<AuditEvent>();
        var secondEvents = new Subject<AuditEvent>();
        var firstAlerts = new List<Alert>();
        var secondAlerts = new List<Alert>();
        using var firstLane = DetectionPipeline.Detect(firstEvents, [NewSource], first with { Replay = new ReplayProgress() }, new HistoricalScheduler(), new PipelineCounters()).Subscribe(firstAlerts.Add);
        using var secondLane = DetectionPipeline.Detect(secondEvents, [NewSource], second with { Replay = new ReplayProgress() }, new HistoricalScheduler(), new PipelineCounters()).Subscribe(secondAlerts.Add);

        foreach (var item in toFirst)
        {
            firstEvents.OnNext(item);
        }

        firstEvents.OnCompleted();
        foreach (var item in toSecond)
        {
            secondEvents.OnNext(item);
        }

        secondEvents.OnCompleted();
        return (firstAlerts, secondAlerts);
    }

    [Fact]
    public void A_tuple_learned_in_one_lane_is_not_new_in_another()
    {
        var options = new DetectionOptions();
        // A log shipper that does not key by user: one identity's requests in two partitions.
        var toFirst = new[] { Read("ci-bot", "10.0.0.1", T0), Read("ci-bot", "203.0.113.9", T0.AddDays(2)) };
        var toSecond = new[] { Read("ci-bot", "203.0.113.9", T0.AddDays(2).AddHours(1)), Read("ci-bot", "198.51.100.7", T0.AddDays(2).AddHours(2)) };

        var shared = TwoLanes(options, options, toFirst, toSecond);
        var apart = TwoLanes(new DetectionOptions(), new DetectionOptions(), toFirst, toSecond);

        Assert.Equal(["203.0.113.9"], Assert.Single(shared.First.Firing()).SourceIps);
        Assert.Equal(["198.51.100.7"], Assert.Single(shared.Second.Firing()).SourceIps);
        // Each lane learning on its own: the second lane was still learning (its own first request started the period).
        Assert.Empty(apart.Second);
        Assert.Equal(0, options.FirstSeenMemories.Count);
    }

    [Fact]
    public void Lanes_write_each_learned_tuple_to_the_file_once()
    {
        var options = new DetectionOptions { DataDirectory = _dataDirectory };
        var toFirst = new[] { Read("a", "10.0.0.1", T0), Read("a", "10.0.0.2", T0.AddMinutes(1)) };
        var toSecond = new[] { Read("b", "10.0.0.2", T0.AddMinutes(2)), Read("b", "10.0.0.1", T0.AddMinutes(3)), Read("b", "10.0.0.3", T0.AddMinutes(4)) };

        TwoLanes(options, options, toFirst, toSecond);

        var lines = File.ReadAllLines(Path.Combine(_dataDirectory, "first-seen", "new-source.jsonl"));
        Assert.Equal(["\"10.0.0.1\"", "\"10.0.0.2\"", "\"10.0.0.3\""], lines.Where(l => l.StartsWith('"')).Order(StringComparer.Ordinal));
        Assert.Single(lines, l => l.Contains("learningStarted", StringComparison.Ordinal));
    }

    [Fact]
    public void A_memory_goes_with_the_last_pipeline_that_runs_its_rule()
    {
        var options = new DetectionOptions();
        var events = new Subject<AuditEvent>();
        var subscription = DetectionPipeline.Detect(events, [NewSource], options, new HistoricalScheduler(), new PipelineCounters()).Subscribe();
        events.OnNext(Read("a", "10.0.0.1", T0));

        Assert.Equal(1, options.FirstSeenMemories.Count);
        subscription.Dispose();
        Assert.Equal(0, options.FirstSeenMemories.Count);

        // Added again later, the rule learns afresh: still learning, so the known tuple and a new one are quiet alike.
        Assert.Empty(Detect.Run([Read("a", "10.0.0.1", T0.AddDays(2)), Read("a", "10.9.9.9", T0.AddDays(2).AddMinutes(1))], NewSource, options));
    }

    [Fact]
    public void A_memory_stays_while_any_pipeline_runs_its_rule()
    {
        var options = new DetectionOptions();
        var first = new Subject<AuditEvent>();
        var second = new Subject<AuditEvent>();
        using var firstLane = DetectionPipeline.Detect(first, [NewSource], options, new HistoricalScheduler(), new PipelineCounters()).Subscribe();
        var secondLane = DetectionPipeline.Detect(second, [NewSource], options, new HistoricalScheduler(), new PipelineCounters()).Subscribe();
        second.OnNext(Read("a", "10.0.0.1", T0));
        second.OnNext(Read("a", "10.0.0.2", T0.AddDays(2)));
        second.OnCompleted();
        secondLane.Dispose();

        // The first lane still runs the rule, so a lane starting now finds what the second one learned.
        var third = Detect.Run([Read("b", "10.0.0.2", T0.AddDays(3)), Read("b", "10.0.0.3", T0.AddDays(3).AddMinutes(1))], NewSource, options);

        Assert.Equal(["10.0.0.3"], Assert.Single(third.Firing()).SourceIps);
        Assert.Equal(1, options.FirstSeenMemories.Count);
        first.OnCompleted();
        Assert.Equal(0, options.FirstSeenMemories.Count);
    }

    [Fact]
    public void Giving_back_a_memory_not_taken_is_an_error_naming_the_rule()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new FirstSeenMemories().Release(NewSource));

        Assert.Contains("'new-source'", error.Message, StringComparison.Ordinal);
    }
}
