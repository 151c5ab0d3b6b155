using AuditWatch.Core.Alerts;
using AuditWatch.Core.Events;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Detectors;

/// <summary>Sigma correlations run on the same event-time engine as native rules and mean what the Sigma specification says.</summary>
public sealed class SigmaCorrelationTests
{
    private const string SecretGet = $"""
        title: Secret read
        name: secret_get
        {SigmaRules.LogSource}
        detection:
            selection:
                verb: get
                objectRef.resource: secrets
            condition: selection
        level: low
        """;

    private const string SelfReview = $"""
        title: Permission review
        name: self_review
        id: 11111111-1111-4111-8111-111111111111
        {SigmaRules.LogSource}
        detection:
            selection:
                verb: create
                objectRef.resource: selfsubjectrulesreviews
            condition: selection
        level: low
        """;

    private const string SecretList = $"""
        title: Secret listing
        name: secret_list
        id: 22222222-2222-4222-8222-222222222222
        {SigmaRules.LogSource}
        detection:
            selection:
                verb: list
                objectRef.resource: secrets
            condition: selection
        level: low
        """;

    private static AuditEvent Review(string user, DateTimeOffset time) => AuditEvents.SecretGet(user, "", "", time) with
    {
        ObjectRef = new ObjectReference("selfsubjectrulesreviews", null, null, "authorization.k8s.io", "v1", null),
        Verb = "create",
        RequestUri = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        ResponseCode = 201,
    };

    private static AuditEvent List(string user, string ns, DateTimeOffset time) => AuditEvents.SecretGet(user, ns, "", time) with
    {
        ObjectRef = new ObjectReference("secrets", ns, null, null, "v1", null),
        Verb = "list",
        RequestUri = $"/api/v1/namespaces/{ns}/secrets",
    };

    /// <summary>Several identities reading Secrets at random paces over two hours, with bursts, gaps and re-reads.</summary>
    private static List<AuditEvent> MixedStream(int seed)
    {
        var random = new Random(seed);
        var events = new List<AuditEvent>();
        foreach (var user in new[] { "alice", "bob", "system:serviceaccount:ci:bot", "mallory", "operator" })
        {
            var time = AuditEvents.T0.AddSeconds(random.Next(0, 60));
            while (time < AuditEvents.T0.AddHours(2))
            {
                var burst = random.NextDouble() < 0.05;
                var pool = user == "operator" ? 8 : 40;
                for (var i = 0; i < (burst ? random.Next(5, 30) : 1); i++)
                {
                    time = time.AddSeconds(burst ? random.Next(1, 10) : random.Next(10, 400));
                    events.Add(AuditEvents.SecretGet(user, $"ns-{random.Next(4)}", $"s-{random.Next(pool)}", time, code: random.NextDouble() < 0.1 ? 403 : 200));
                }
            }
        }

        return [.. events.OrderBy(e => e.RequestTime)];
    }

    [Fact]
    public void A_value_count_correlation_gives_the_same_alerts_as_the_native_distinct_rule()
    {
        var sigma = SigmaRules.Load(("secret_get.yml", SecretGet), ("burst.yml", $"""
            title: Many distinct Secrets
            id: 33333333-3333-4333-8333-333333333333
            correlation:
                type: value_count
                rules: [secret_get]
                group-by: [user.username]
                timespan: 5m
                condition:
                    field: objectRef.name
                    gte: 10
            level: medium
            """));
        var native = TestRules.Parse("""
            id: native-distinct
            title: Many distinct Secrets
            severity: medium
            kind: distinct
            where:
              all:
                - { field: verb, equals: get }
                - { field: resource, equals: secrets }
            group_by: [user]
            count_distinct: name
            window: 5m
            threshold: 10
            suppress: 5m
            """);
        var events = MixedStream(seed: 11);

        var fromSigma = Detect.Run(events, Assert.Single(sigma));
        var fromNative = Detect.Run(events, native);

        Assert.True(fromNative.Firing().Count >= 3, $"the stream should hold several bursts, found {fromNative.Firing().Count}");
        Assert.Equal(fromNative.Select(Essence), fromSigma.Select(Essence));
        Assert.All(fromSigma, a => Assert.Equal("33333333-3333-4333-8333-333333333333", a.Rule));
        Assert.All(fromSigma, a => Assert.Contains("Many distinct Secrets", a.Summary, StringComparison.Ordinal));
    }

    private static string Essence(Alert a) =>
        $"{a.Status} {a.Severity} {a.User} {a.FirstSeen:O} {a.LastSeen:O} {a.Count} {a.DistinctObjects} {string.Join(",", a.Objects)} {string.Join(",", a.AuditIds)}";

    [Fact]
    public void An_event_count_correlation_fires_at_its_lower_bound_and_gt_means_one_more()
    {
        string Rule(string bound) => $"""
            title: Many Secret reads
            id: 44444444-4444-4444-8444-444444444444
            correlation:
                type: event_count
                rules: [secret_get]
                group-by: [user.username]
                timespan: 1m
                condition: {"{"} {bound} {"}"}
            """;
        var reads = Enumerable.Range(0, 5).Select(i => AuditEvents.SecretGet("mallory", "prod", "same", AuditEvents.T0.AddSeconds(i * 10))).ToList();

        Assert.Single(Detect.Run(reads, Assert.Single(SigmaRules.Load(("g.yml", SecretGet), ("c.yml", Rule("gte: 5"))))).Firing());
        Assert.Empty(Detect.Run(reads, Assert.Single(SigmaRules.Load(("g.yml", SecretGet), ("c.yml", Rule("gt: 5"))))));
    }

    [Fact]
    public void Referenced_rules_alert_on_their_own_only_with_generate()
    {
        string Correlation(string generate) => $"""
            title: Reviews then listing
            id: 55555555-5555-4555-8555-555555555555
            correlation:
                type: temporal_ordered
                rules: [self_review, secret_list]
                group-by: [user.username]
                timespan: 10m
                {generate}
            level: high
            """;

        var quiet = SigmaRules.Load(("a.yml", SelfReview), ("b.yml", SecretList), ("c.yml", Correlation(string.Empty)));
        var generating = SigmaRules.Load(("a.yml", SelfReview), ("b.yml", SecretList), ("c.yml", Correlation("generate: true")));

        Assert.Equal(["55555555-5555-4555-8555-555555555555"], quiet.Select(r => r.Id));
        Assert.Equal(
            ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "55555555-5555-4555-8555-555555555555"],
            generating.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Temporal_ordered_needs_the_steps_in_order_within_the_timespan_for_the_same_group()
    {
        var rules = SigmaRules.Load(("a.yml", SelfReview), ("b.yml", SecretList), ("c.yml", """
            title: Reviews then listing
            id: 55555555-5555-4555-8555-555555555555
            correlation:
                type: temporal_ordered
                rules: [self_review, secret_list]
                group-by: [user.username]
                timespan: 10m
            level: high
            """));
        var rule = Assert.Single(rules);
        var t = AuditEvents.T0;

        var inOrder = Detect.Run([Review("eve", t), List("eve", "prod", t.AddMinutes(3))], rule);
        var reversed = Detect.Run([List("eve", "prod", t), Review("eve", t.AddMinutes(3))], rule);
        var tooLate = Detect.Run([Review("eve", t), List("eve", "prod", t.AddMinutes(11))], rule);
        var twoPeople = Detect.Run([Review("eve", t), List("bob", "prod", t.AddMinutes(1))], rule);

        var alert = Assert.Single(inOrder.Firing());
        Assert.Equal(("eve", 2, Severity.High), (alert.User, alert.Count, alert.Severity));
        Assert.Contains("Permission review then Secret listing within 10m", alert.Summary, StringComparison.Ordinal);
        Assert.Empty(reversed);
        Assert.Empty(tooLate);
        Assert.Empty(twoPeople);
    }

    [Fact]
    public void Temporal_accepts_any_order_and_a_condition_on_how_many_rules_matched()
    {
        string Rule(string condition) => $"""
            title: Recon
            id: 66666666-6666-4666-8666-666666666666
            correlation:
                type: temporal
                rules: [self_review, secret_list, secret_get]
                group-by: [user.username]
                timespan: 5m
                {condition}
            """;
        var t = AuditEvents.T0;
        List<AuditEvent> twoKinds = [List("eve", "prod", t), Review("eve", t.AddMinutes(2))];
        var threeKinds = twoKinds.Append(AuditEvents.SecretGet("eve", "prod", "db", t.AddMinutes(4))).ToList();

        var all = Assert.Single(SigmaRules.Load(("a.yml", SelfReview), ("b.yml", SecretList), ("g.yml", SecretGet), ("c.yml", Rule(string.Empty))));
        var two = Assert.Single(SigmaRules.Load(("a.yml", SelfReview), ("b.yml", SecretList), ("g.yml", SecretGet), ("c.yml", Rule("condition: { gte: 2 }"))));

        Assert.Empty(Detect.Run(twoKinds, all));
        Assert.Equal(3, Assert.Single(Detect.Run(threeKinds, all).Firing()).Count);
        Assert.Equal(2, Assert.Single(Detect.Run(twoKinds, two).Firing()).Count);
    }

    [Fact]
    public void Aliases_join_different_fields_of_different_rules()
    {
        // A service account's namespace in one rule, the namespace read in the other: "someone read Secrets in the
        // namespace whose own account then asked for its permissions".
        var rules = SigmaRules.Load(("a.yml", SelfReview), ("g.yml", SecretGet), ("c.yml", """
            title: Read then review by the namespace's own account
            id: 77777777-7777-4777-8777-777777777777
            correlation:
                type: temporal_ordered
                rules: [secret_get, self_review]
                group-by: [ns]
                timespan: 5m
                aliases:
                    ns:
                        secret_get: objectRef.namespace
                        self_review: user.sa_namespace
            """));
        var rule = Assert.Single(rules);
        var t = AuditEvents.T0;

        var joined = Detect.Run([AuditEvents.SecretGet("alice", "ci", "token", t), Review("system:serviceaccount:ci:bot", t.AddMinutes(1))], rule);
        var other = Detect.Run([AuditEvents.SecretGet("alice", "prod", "token", t), Review("system:serviceaccount:ci:bot", t.AddMinutes(1))], rule);

        Assert.Single(joined.Firing());
        Assert.Empty(other);
    }

    [Fact]
    public void Late_and_out_of_order_arrival_does_not_change_a_correlation()
    {
        var rule = Assert.Single(SigmaRules.Load(("a.yml", SelfReview), ("b.yml", SecretList), ("c.yml", """
            title: Reviews then listing
            id: 55555555-5555-4555-8555-555555555555
            correlation:
                type: temporal_ordered
                rules: [self_review, secret_list]
                group-by: [user.username]
                timespan: 10m
            """)));
        var t = AuditEvents.T0;

        // The listing arrives first (a later batch overtook an earlier one, within the allowed lateness); event time decides.
        var alerts = Detect.Run([List("eve", "prod", t.AddSeconds(30)), Review("eve", t)], rule, new DetectionOptions());

        Assert.Single(alerts.Firing());
    }
}
