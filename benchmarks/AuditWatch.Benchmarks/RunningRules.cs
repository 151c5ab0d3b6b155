using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Rules running on a stream as the pipeline runs them after its ordering stage, kept between feeds: the event clock
/// advanced to each request, its shape looked up, then every rule, whose groups stay tracked until the next feed.
/// </summary>
internal sealed class RunningRules : IDisposable
{
    private readonly HistoricalScheduler _clock;
    private readonly RequestShapes _shapes = new();
    private readonly Subject<OrderedRequest> _ordered = new();
    private readonly IDisposable _subscription;
    private int _alerts;

    public RunningRules(IReadOnlyList<Rule> rules, DateTimeOffset start)
    {
        _clock = new HistoricalScheduler(start);
        var counters = new PipelineCounters();
        var options = new DetectionOptions();
        var routed = new RoutedRequests(_ordered);
        _subscription = rules.Select(rule => routed.Detect(rule, options, _clock, counters)).Merge().Subscribe(_ => _alerts++);
    }

    /// <summary>Feeds requests later in event time than any fed before; returns the alerts they raised.</summary>
    public int Feed(OrderedRequest[] requests)
    {
        var before = _alerts;
        foreach (var item in requests)
        {
            if (item.Request.Time > _clock.Now)
            {
                _clock.AdvanceTo(item.Request.Time);
            }

            _ordered.OnNext(item with { Shape = _shapes.Of(item.Request) });
        }

        return _alerts - before;
    }

    /// <summary>End of input: every group is forgotten; returns the alerts that resolved.</summary>
    public int Complete()
    {
        var before = _alerts;
        _ordered.OnCompleted();
        return _alerts - before;
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _ordered.Dispose();
    }
}
