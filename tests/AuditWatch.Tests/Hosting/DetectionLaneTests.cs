using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Hosting;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;

namespace AuditWatch.Tests.Hosting;

/// <summary>
/// A source may count a batch as safe (store its offset, save its file position) only once the rules have judged its
/// events: taken into the pipeline is not enough, a request waits there up to the allowed lateness (60 s).
/// </summary>
public sealed class DetectionLaneTests : IDisposable
{
    // The stolen token's first reads are at 10:02:00-10:02:15: the newest of the first 70 lines, so they wait.
    private const int FirstPart = 70;
    private static readonly IReadOnlyList<AuditEvent> Sample = Decode(Path.Combine(AppContext.BaseDirectory, "samples", "secret-burst.jsonl"));
    private readonly ConcurrentQueue<Alert> _alerts = new();
    private readonly SemaphoreSlim _taken = new(0);
    private readonly ConcurrentQueue<int> _takenSizes = new();
    private Exception? _failure;

    public void Dispose() => _taken.Dispose();

    private DetectionLane Lane()
    {
        IReadOnlyList<Rule> rules = RuleSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "rules")).Enabled;
        var ruleSets = Observable.Return(rules).Concat(Observable.Never<IReadOnlyList<Rule>>());
        return new DetectionLane(
            ruleSets,
            new DetectionOptions(),
            new PipelineCounters(),
            new Subject<DateTimeOffset>(),
            TimeProvider.System,
            batch =>
            {
                _takenSizes.Enqueue(batch.Events.Count);
                _taken.Release();
            },
            _alerts.Enqueue,
            error => _failure = error);
    }

    /// <summary>The size of the next batch the lane took in (after its events went into the pipeline).</summary>
    private async Task<int> NextTakenAsync()
    {
        Assert.True(await _taken.WaitAsync(TimeSpan.FromSeconds(30)), "the lane took no batch in 30 s");
        Assert.True(_takenSizes.TryDequeue(out var size));
        return size;
    }

    private List<string> Firing() => [.. _alerts.Where(a => a.Status == AlertStatus.Firing).Select(a => a.Rule).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_batch_is_processed_only_once_the_alerts_its_events_raise_are_out()
    {
        var lane = Lane();
        List<string>? firingWhenProcessed = null;
        var first = new EventBatch([.. Sample.Take(FirstPart)], "test", () => firingWhenProcessed = Firing());

        lane.Add(first);
        Assert.Equal(FirstPart, await NextTakenAsync());
        Assert.Null(firingWhenProcessed);
        Assert.Empty(Firing());

        // Later events move the watermark past the first batch: its requests are judged, then it is safe.
        lane.Add(new EventBatch([.. Sample.Skip(FirstPart)], "test"));
        await lane.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(_failure);
        Assert.NotNull(firingWhenProcessed);
        Assert.Contains("bound-token-off-pod", firingWhenProcessed);
        Assert.Contains("secret-read-scripting-agent", firingWhenProcessed);
        Assert.Contains("serviceaccount-reads-foreign-secrets", firingWhenProcessed);
    }

    [Fact]
    public async Task A_dropped_lane_never_processes_a_batch_still_waiting_for_the_watermark()
    {
        var lane = Lane();
        var processed = false;
        lane.Add(new EventBatch([.. Sample.Take(FirstPart)], "test", () => processed = true));
        Assert.Equal(FirstPart, await NextTakenAsync());

        await lane.DropAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(_failure);
        Assert.False(processed);
        Assert.Empty(Firing());
    }

    [Fact]
    public async Task After_a_halt_no_batch_is_processed_though_detection_goes_on()
    {
        var lane = Lane();
        var processed = false;
        lane.Add(new EventBatch([.. Sample.Take(FirstPart)], "test", () => processed = true));
        Assert.Equal(FirstPart, await NextTakenAsync());

        // Alert output failed (the worker halts every lane): what this batch raised may not have gone out, so after the
        // restart it must be read again.
        lane.Halt();
        lane.Add(new EventBatch([.. Sample.Skip(FirstPart)], "test"));
        await lane.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(_failure);
        Assert.Contains("bound-token-off-pod", Firing());
        Assert.False(processed);
    }

    [Fact]
    public async Task A_batch_waits_for_the_requests_its_source_fed_before_it_even_when_its_own_are_older()
    {
        var lane = Lane();
        var processed = false;

        // A tailed chunk's first part, with nothing to save, then its last part, which saves the position and holds
        // only a request from 10:00:05: behind the watermark the first part moved to 10:01:16, so judged at once.
        lane.Add(new EventBatch([.. Sample.Take(FirstPart)], "file"));
        lane.Add(new EventBatch([Early(Sample[0])], "file", () => processed = true));
        Assert.Equal(FirstPart, await NextTakenAsync());
        Assert.Equal(1, await NextTakenAsync());
        Assert.False(processed);

        // Only once the first part's requests are judged (the rest of the sample moves the watermark past them).
        lane.Add(new EventBatch([.. Sample.Skip(FirstPart)], "file"));
        await NextTakenAsync();
        Assert.Null(_failure);
        Assert.True(processed);
        await lane.DropAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Another_source_stamped_far_ahead_does_not_hold_a_batch_back()
    {
        var lane = Lane();
        var processed = false;

        // A webhook batch runs to 10:09:50; a file's old request after it is judged at once (late), so it is safe at once.
        lane.Add(new EventBatch([.. Sample], "webhook"));
        lane.Add(new EventBatch([Early(Sample[0])], "file", () => processed = true));
        await NextTakenAsync();
        await NextTakenAsync();

        Assert.Null(_failure);
        Assert.True(processed);
        await lane.DropAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_request_stamped_far_ahead_holds_its_batch_back_no_longer_than_its_on_time_requests()
    {
        var lane = Lane();
        var processed = false;

        // A control-plane node with a broken clock: judged alone as it went in, the watermark will not reach it for years.
        var stampedAhead = Early(Sample[0]) with { RequestReceivedTimestamp = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), StageTimestamp = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        lane.Add(new EventBatch([.. Sample.Take(FirstPart), stampedAhead], "test", () => processed = true));
        Assert.Equal(FirstPart + 1, await NextTakenAsync());
        Assert.False(processed);

        lane.Add(new EventBatch([.. Sample.Skip(FirstPart)], "test"));
        await NextTakenAsync();
        Assert.Null(_failure);
        Assert.True(processed);
        await lane.DropAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A request of its own (not a redelivery of the sample's first) at the sample's first time.</summary>
    private static AuditEvent Early(AuditEvent auditEvent) => auditEvent with { AuditId = AuditId.Parse("0f6c1c1e-5d7a-4f0e-9a51-3c2b1a0f9e8d") };

    [Fact]
    public async Task Safe_points_of_a_batch_are_reached_as_the_watermark_passes_the_events_before_them()
    {
        var lane = Lane();
        var reached = new ConcurrentQueue<long>();

        // A point after each event, its position the event's index: the watermark after all 333 events is the newest
        // event time less 60 s, so the points up to the last event a minute before the end are reached, none beyond.
        var events = Sample.ToList();
        var batch = new EventBatch(events, "test")
        {
            SafePoints = [.. Enumerable.Range(1, events.Count).Select(n => new SafePoint(n, n))],
            SafePointReached = reached.Enqueue,
        };
        lane.Add(batch);
        await NextTakenAsync();
        await lane.DropAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var watermark = events.Max(e => e.RequestTime) - TimeSpan.FromSeconds(60);
        var safe = events.TakeWhile((_, i) => events.Take(i + 1).Max(e => e.RequestTime) <= watermark).Count();
        Assert.Null(_failure);
        Assert.NotEmpty(reached);
        Assert.Equal(reached.Order(), reached);
        Assert.InRange(reached.Last(), safe - 20, safe);
    }

    private static List<AuditEvent> Decode(string path) =>
        [.. new AuditStreamDecoder().Decode(File.ReadAllBytes(path), "test").Select(result => result.Event!.Value)];
}
