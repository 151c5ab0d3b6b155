using System.Reactive.Disposables;
using AuditWatch.Detection.Ordering;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// The ordered requests as the rules take them: each request goes only to the rules its shape does not rule out
/// (<see cref="RulePrefilter.AdmitsShape"/>, judged once per shape and rule), in the order the rules subscribed.
/// </summary>
/// <remarks>
/// Most rules skip most requests by their shape. Handing every request to every rule only for it to be turned away cost
/// more than the rules that do work on a Secret read. One upstream subscription serves every rule while any rule
/// listens; a rule that subscribes after the stream ended is told so at once.
/// </remarks>
public sealed class RoutedRequests(IObservable<OrderedRequest> ordered)
{
    private readonly object _lock = new();
    private Routes _routes = new([]);
    private IDisposable? _upstream;
    private Exception? _error;
    private bool _ended;

    /// <summary>
    /// Hands <paramref name="rule"/> the requests its <paramref name="prefilter"/> can use by their shape, and every
    /// unnumbered one, until disposed. Not wrapped in Rx's observers: the rule's observer handles its own errors
    /// (<see cref="RuleRun"/>).
    /// </summary>
    public IDisposable Subscribe(RulePrefilter prefilter, IObserver<OrderedRequest> rule)
    {
        var subscriber = new Subscriber(prefilter, rule);
        bool ended;
        lock (_lock)
        {
            ended = _ended;
            if (!ended)
            {
                _routes = new Routes([.. _routes.Subscribers, subscriber]);
                _upstream ??= ordered.Subscribe(OnNext, OnError, OnCompleted);
            }
        }

        if (ended)
        {
            NotifyEnded(rule);
            return Disposable.Empty;
        }

        return Disposable.Create(() =>
        {
            lock (_lock)
            {
                _routes = new Routes([.. _routes.Subscribers.Where(s => !ReferenceEquals(s, subscriber))]);
                if (_routes.Subscribers.Length == 0)
                {
                    _upstream?.Dispose();
                    _upstream = null;
                }
            }
        });
    }

    private void OnNext(OrderedRequest item)
    {
        var targets = _routes.For(item);
        for (var i = 0; i < targets.Length; i++)
        {
            targets[i].OnNext(item);
        }
    }

    private void OnError(Exception error) => End(error);

    private void OnCompleted() => End(null);

    private void End(Exception? error)
    {
        Subscriber[] subscribers;
        lock (_lock)
        {
            _ended = true;
            _error = error;
            subscribers = _routes.Subscribers;
        }

        foreach (var subscriber in subscribers)
        {
            NotifyEnded(subscriber.Observer);
        }
    }

    private void NotifyEnded(IObserver<OrderedRequest> observer)
    {
        if (_error is { } error)
        {
            observer.OnError(error);
        }
        else
        {
            observer.OnCompleted();
        }
    }

    private sealed record Subscriber(RulePrefilter Prefilter, IObserver<OrderedRequest> Observer);

    /// <summary>
    /// One set of subscribers and, per shape number, the observers that shape reaches: built on a shape's first request,
    /// replaced with the set (requests arrive one at a time; a set changes between them).
    /// </summary>
    private sealed class Routes(Subscriber[] subscribers)
    {
        private readonly IObserver<OrderedRequest>[] _everyone = [.. subscribers.Select(s => s.Observer)];
        private IObserver<OrderedRequest>[]?[] _byShape = [];

        public Subscriber[] Subscribers => subscribers;

        public IObserver<OrderedRequest>[] For(OrderedRequest item)
        {
            var id = item.Shape.Id;
            if (id < 0)
            {
                return _everyone;
            }

            if (id >= _byShape.Length)
            {
                Array.Resize(ref _byShape, Math.Max(id + 1, _byShape.Length * 2));
            }

            return _byShape[id] ??= Admitting(item);
        }

        // Apart from For: a lambda capturing the request there would cost an allocation on every call.
        private IObserver<OrderedRequest>[] Admitting(OrderedRequest item) =>
            [.. subscribers.Where(s => Admits(s.Prefilter, item)).Select(s => s.Observer)];

        // A rule whose condition throws is admitted: it judges the request in full under its own guard, which counts the
        // failure and starts the rule over (RuleRun). Thrown here, it would end the stream for every rule.
        private static bool Admits(RulePrefilter prefilter, OrderedRequest item)
        {
            try
            {
                return prefilter.AdmitsShape(item.Shape, item.Request);
            }
            catch (Exception)
            {
                return true;
            }
        }
    }
}
