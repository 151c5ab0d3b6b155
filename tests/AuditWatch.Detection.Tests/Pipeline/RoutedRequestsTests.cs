using System.Reactive;
using System.Reactive.Subjects;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// The ordered stream as the rules take it: a request reaches only the rules its shape does not rule out, every rule
/// that can use it in the order they subscribed, and the stream's end reaches every rule, also one that comes late.
/// </summary>
public sealed class RoutedRequestsTests
{
    private static readonly ApiRequest SecretRead = RequestNormalizer.Normalize(AuditEvents.SecretGet("alice", "dev", "db", AuditEvents.T0));
    private static readonly ApiRequest DeniedSecretRead = RequestNormalizer.Normalize(AuditEvents.SecretGet("bob", "dev", "db", AuditEvents.T0, code: 403));

    private static RulePrefilter Prefilter(string where) => new(TestRules.Parse($"""
        id: r
        title: R
        severity: low
        where: {where}
        """));

    [Fact]
    public void A_rule_gets_the_requests_its_shape_admits_and_every_unnumbered_one()
    {
        var ordered = new Subject<OrderedRequest>();
        var routed = new RoutedRequests(ordered);
        var shapes = new RequestShapes();
        var denials = new List<ApiRequest>();
        var everything = new List<ApiRequest>();
        using var deniedOnly = routed.Subscribe(Prefilter("{ field: outcome, equals: denied }"), Observer.Create<OrderedRequest>(item => denials.Add(item.Request)));
        using var all = routed.Subscribe(Prefilter("{ field: user, equals: alice }"), Observer.Create<OrderedRequest>(item => everything.Add(item.Request)));

        foreach (var request in new[] { SecretRead, DeniedSecretRead, SecretRead, DeniedSecretRead })
        {
            ordered.OnNext(new OrderedRequest(request, EventTiming.InOrder, shapes.Of(request)));
        }

        ordered.OnNext(new OrderedRequest(SecretRead, EventTiming.InOrder));

        // The user is not part of a request's shape: that rule is told of every request and judges each itself.
        Assert.Equal([DeniedSecretRead, DeniedSecretRead, SecretRead], denials);
        Assert.Equal([SecretRead, DeniedSecretRead, SecretRead, DeniedSecretRead, SecretRead], everything);
    }

    [Fact]
    public void Rules_that_take_a_request_get_it_in_the_order_they_subscribed_and_a_rule_that_left_gets_nothing()
    {
        var ordered = new Subject<OrderedRequest>();
        var routed = new RoutedRequests(ordered);
        var shapes = new RequestShapes();
        var seen = new List<string>();
        using var first = routed.Subscribe(Prefilter("{ field: secret.read, equals: true }"), Observer.Create<OrderedRequest>(_ => seen.Add("first")));
        var second = routed.Subscribe(Prefilter("{ field: verb, equals: get }"), Observer.Create<OrderedRequest>(_ => seen.Add("second")));
        using var third = routed.Subscribe(Prefilter("{ field: resource, equals: secrets }"), Observer.Create<OrderedRequest>(_ => seen.Add("third")));

        ordered.OnNext(new OrderedRequest(SecretRead, EventTiming.InOrder, shapes.Of(SecretRead)));
        second.Dispose();
        ordered.OnNext(new OrderedRequest(SecretRead, EventTiming.InOrder, shapes.Of(SecretRead)));

        Assert.Equal(["first", "second", "third", "first", "third"], seen);
    }

    [Fact]
    public void The_stream_is_held_while_any_rule_listens_and_its_end_reaches_rules_that_come_later()
    {
        var ordered = new Subject<OrderedRequest>();
        var routed = new RoutedRequests(ordered);
        var prefilter = Prefilter("{ field: verb, equals: get }");

        var one = routed.Subscribe(prefilter, Observer.Create<OrderedRequest>(_ => { }));
        var two = routed.Subscribe(prefilter, Observer.Create<OrderedRequest>(_ => { }));
        one.Dispose();
        Assert.True(ordered.HasObservers);
        two.Dispose();
        Assert.False(ordered.HasObservers);

        var completed = 0;
        using var three = routed.Subscribe(prefilter, Observer.Create<OrderedRequest>(_ => { }, () => completed++));
        ordered.OnCompleted();
        using var late = routed.Subscribe(prefilter, Observer.Create<OrderedRequest>(_ => { }, () => completed++));
        Assert.Equal(2, completed);
    }

    [Fact]
    public void A_rule_whose_shape_test_throws_is_handed_the_request_to_judge_itself()
    {
        Assert.True(FieldCatalog.TryGet("verb", out var verb));
        var throwing = TestRules.Parse("id: r\ntitle: R\nseverity: low\n") with
        {
            Where = new LeafCondition(verb, "equals", "get", _ => throw new InvalidOperationException("a broken test")),
        };
        var ordered = new Subject<OrderedRequest>();
        var routed = new RoutedRequests(ordered);
        var shapes = new RequestShapes();
        var taken = new List<ApiRequest>();
        using var rule = routed.Subscribe(new RulePrefilter(throwing), Observer.Create<OrderedRequest>(item => taken.Add(item.Request)));

        ordered.OnNext(new OrderedRequest(SecretRead, EventTiming.InOrder, shapes.Of(SecretRead)));

        Assert.Equal([SecretRead], taken);
    }

    [Fact]
    public void An_error_reaches_every_rule_and_rules_that_come_later()
    {
        var ordered = new Subject<OrderedRequest>();
        var routed = new RoutedRequests(ordered);
        var prefilter = Prefilter("{ field: verb, equals: get }");
        var errors = new List<Exception>();
        using var one = routed.Subscribe(prefilter, Observer.Create<OrderedRequest>(_ => { }, errors.Add));
        var failure = new InvalidOperationException("the source broke");

        ordered.OnError(failure);
        using var late = routed.Subscribe(prefilter, Observer.Create<OrderedRequest>(_ => { }, errors.Add));

        Assert.Equal([failure, failure], errors);
    }
}
