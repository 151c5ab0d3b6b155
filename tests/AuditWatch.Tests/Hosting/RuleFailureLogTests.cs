using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Hosting;
using AuditWatch.TestSupport;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Tests.Hosting;

/// <summary>A rule failing on every request is told in the log, with its stack trace once, without flooding it.</summary>
public sealed class RuleFailureLogTests
{
    // No lateness: each request reaches the rules as it comes.
    private static readonly DetectionOptions Immediate = new() { EventTime = new AuditWatch.Detection.Ordering.EventTimeOptions { AllowedLateness = TimeSpan.Zero } };

    [Fact]
    public void The_first_failure_is_logged_with_its_stack_trace_then_at_most_once_a_minute_by_rule()
    {
        var clock = new SteppedClock(OverflowingRule.NearTheEnd);
        var counters = new PipelineCounters();
        var logger = new RecordingLogger(LogLevel.Error);
        var log = new RuleFailureLog(counters, clock, logger);
        using var input = new Subject<AuditEvent>();
        using var ticks = new Subject<DateTimeOffset>();
        using var subscription = DetectionPipeline
            .Detect(input, OverflowingRule.Rules, Immediate, new HistoricalScheduler(), counters, (ticks, clock))
            .Subscribe(_ => { });
        var number = 0;
        void Send(int reads)
        {
            for (var i = 0; i < reads; i++)
            {
                clock.Elapse(TimeSpan.FromSeconds(1));
                input.OnNext(OverflowingRule.Read(++number, clock.GetUtcNow()));
            }
        }

        log.Check();
        Assert.Empty(logger.Entries);

        Send(2);
        log.Check();
        var first = Assert.Single(logger.Entries);
        Assert.StartsWith("2 rule failure(s) (by rule: two-hour-window 2)", first.Message, StringComparison.Ordinal);
        Assert.Contains("audit ID 00000000-0000-4000-8000-000000000002: ArgumentOutOfRangeException", first.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentOutOfRangeException>(first.Exception);

        // Within the minute: told later, together.
        Send(3);
        log.Check();
        Assert.Single(logger.Entries);

        clock.Elapse(TimeSpan.FromMinutes(1));
        log.Check();
        log.Check();
        Assert.Equal(2, logger.Entries.Count);
        Assert.StartsWith("3 rule failure(s) (by rule: two-hour-window 3)", logger.Entries[1].Message, StringComparison.Ordinal);
        Assert.Contains("audit ID 00000000-0000-4000-8000-000000000005", logger.Entries[1].Message, StringComparison.Ordinal);
        Assert.Null(logger.Entries[1].Exception);
    }
}
