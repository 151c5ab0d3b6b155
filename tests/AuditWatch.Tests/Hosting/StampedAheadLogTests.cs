using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Hosting;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Rules.Loading;
using AuditWatch.TestSupport;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Tests.Hosting;

/// <summary>A broken control-plane clock can stamp a third of all requests ahead: the log names it without flooding.</summary>
public sealed class StampedAheadLogTests
{
    private static readonly AuditEvent SecretRead = new AuditStreamDecoder()
        .Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "secret-burst.jsonl")), "test")
        .Select(result => result.Event!.Value)
        .First(e => e.ObjectRef?.Resource == "secrets");

    [Fact]
    public void The_first_is_named_at_once_then_at_most_once_a_minute_with_how_many_came_since()
    {
        var now = SecretRead.RequestTime;
        var clock = new SteppedClock(now);
        var counters = new PipelineCounters();
        var logger = new RecordingLogger(LogLevel.Warning);
        var log = new StampedAheadLog(counters, clock, logger);
        using var input = new Subject<AuditEvent>();
        using var subscription = DetectionPipeline
            .Detect(input, RuleSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "rules")).Enabled, new DetectionOptions(), new HistoricalScheduler(), counters, (Observable.Never<DateTimeOffset>(), clock))
            .Subscribe(_ => { });
        var number = 0;
        void Send(TimeSpan ahead) => input.OnNext(SecretRead with
        {
            AuditId = AuditId.Parse($"00000000-0000-4000-8000-{++number:D12}"),
            RequestReceivedTimestamp = clock.GetUtcNow() + ahead,
            StageTimestamp = clock.GetUtcNow() + ahead,
        });

        Send(TimeSpan.Zero);
        log.Check();
        Assert.Empty(logger.Entries);

        Send(TimeSpan.FromDays(1));
        Send(TimeSpan.FromDays(2));
        log.Check();
        var first = Assert.Single(logger.Entries).Message;
        Assert.StartsWith("2 request(s) stamped further ahead", first, StringComparison.Ordinal);
        Assert.Contains("audit ID 00000000-0000-4000-8000-000000000003", first, StringComparison.Ordinal);
        Assert.Contains("2.00:00:00 ahead", first, StringComparison.Ordinal);

        // On-time requests keep coming from the other control-plane nodes.
        clock.Elapse(TimeSpan.FromSeconds(30));
        Send(TimeSpan.Zero);
        Send(TimeSpan.FromDays(3));
        log.Check();
        Assert.Single(logger.Entries);

        clock.Elapse(TimeSpan.FromSeconds(31));
        Send(TimeSpan.Zero);
        Send(TimeSpan.FromDays(4));
        log.Check();
        log.Check();
        Assert.Equal(2, logger.Entries.Count);
        Assert.StartsWith("2 request(s) stamped further ahead", logger.Entries[1].Message, StringComparison.Ordinal);
        Assert.Contains("audit ID 00000000-0000-4000-8000-000000000007", logger.Entries[1].Message, StringComparison.Ordinal);
        Assert.Contains("4.00:00:00 ahead", logger.Entries[1].Message, StringComparison.Ordinal);
    }
}
