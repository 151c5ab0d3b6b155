using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Rules.Loading;

namespace AuditWatch.Rules.Tests;

/// <summary>Each operator holds exactly when docs/rules.md says it does, on real normalized requests.</summary>
public sealed class ConditionTests
{
    private static readonly ApiRequest Read = RequestNormalizer.Normalize(new AuditEvent
    {
        AuditId = "a",
        Stage = AuditStage.ResponseComplete,
        Verb = "get",
        RequestUri = "/api/v1/namespaces/payments/secrets/sh.helm.release.v1.web.v3",
        User = new UserInfo("system:serviceaccount:ci:bot", null, ["system:serviceaccounts", "system:authenticated"],
            new Dictionary<string, IReadOnlyList<string>> { ["authentication.kubernetes.io/pod-name"] = ["bot-7c9f8-x2x"] }),
        SourceIps = ["203.0.113.50", "::ffff:10.1.2.3"],
        UserAgent = "python-requests/2.31.0",
        ObjectRef = new ObjectReference("secrets", "payments", "sh.helm.release.v1.web.v3", null, "v1", null),
        ResponseCode = 200,
        StageTimestamp = DateTimeOffset.UnixEpoch,
    });

    private static bool Holds(string condition, string lists = "")
    {
        var yaml = $"id: r\ntitle: T\nseverity: low\nwhere: {condition}\n";
        var set = RuleSetLoader.Load([("r.yaml", yaml), ("lists.yaml", lists.Length == 0 ? "lists: { none: [x] }" : lists)]);
        Assert.Empty(set.Errors.Select(e => e.ToString()));
        return set.Rules[0].Applies(Read);
    }

    [Theory]
    [InlineData("{ field: user, equals: \"system:serviceaccount:ci:bot\" }", true)]
    [InlineData("{ field: user.kind, equals: service_account }", true)]
    [InlineData("{ field: user.sa_namespace, equals: ci }", true)]
    [InlineData("{ field: secret.read, equals: true }", true)]
    [InlineData("{ field: secret.scope, equals: object }", true)]
    [InlineData("{ field: outcome, in: [denied, not_found] }", false)]
    [InlineData("{ field: secret.name, glob: \"sh.helm.release.v1.*\" }", true)]
    [InlineData("{ field: secret.name, glob: \"sh.helm.release.v1\" }", false)]
    [InlineData("{ field: user_agent.product, equals: python-requests }", true)]
    [InlineData("{ field: user.pod, prefix: bot- }", true)]
    [InlineData("{ field: user.pod, suffix: x2x }", true)]
    [InlineData("{ field: request_uri, contains: /secrets/ }", true)]
    [InlineData("{ field: request_uri, contains: [labelSelector, \"release.v1.web\"] }", true)]
    [InlineData("{ field: request_uri, contains: [labelSelector, \"release.v2\", /pods/] }", false)]
    [InlineData("{ field: request_uri, contains: [/SECRETS/] }", false)]
    [InlineData("{ field: request_uri, contains: [nothing-like-it, \"\"] }", true)]
    [InlineData("{ field: user.groups, in: [system:authenticated] }", true)]
    [InlineData("{ field: source_ip, cidr: 10.0.0.0/8 }", true)]
    [InlineData("{ field: source_ip, cidr: [192.168.0.0/16] }", false)]
    [InlineData("{ field: code, gte: 200 }", true)]
    [InlineData("{ field: code, lt: 200 }", false)]
    [InlineData("{ field: impersonated.user, exists: false }", true)]
    [InlineData("{ field: user.pod, exists: true }", true)]
    [InlineData("{ field: namespace, equals_field: user.sa_namespace }", false)]
    [InlineData("{ field: user.sa_namespace, equals_field: user.sa_namespace }", true)]
    [InlineData("{ field: user.sa_name, equals_field: user.pod }", false)]
    [InlineData("{ field: user.groups, equals_field: user.groups }", true)]
    [InlineData("{ field: user.sa_name, equals_field: user.groups }", false)]
    [InlineData("{ field: user.groups, equals_field: user.sa_namespace }", false)]
    [InlineData("{ field: impersonated.user, equals_field: impersonated.user }", false)]
    [InlineData("{ field: user, regex: \"^system:serviceaccount:[a-z]+:bot$\" }", true)]
    [InlineData("{ not: { field: verb, equals: get } }", false)]
    [InlineData("{ any: [ { field: verb, equals: list }, { field: verb, equals: get } ] }", true)]
    [InlineData("{ all: [ { field: verb, equals: list }, { field: verb, equals: get } ] }", false)]
    public void Operators_hold_as_documented(string condition, bool expected)
    {
        Assert.Equal(expected, Holds(condition));
    }

    [Fact]
    public void Named_lists_are_resolved_from_any_file()
    {
        Assert.True(Holds("{ field: user_agent.product, in: $tools }", "lists: { tools: [curl, python-requests] }"));
        Assert.True(Holds("{ field: source_ip, cidr: $outside }", "lists: { outside: [203.0.113.0/24] }"));
    }

    [Fact]
    public void A_runaway_regex_cannot_hang_evaluation()
    {
        // Catastrophic for a backtracking engine; linear for the non-backtracking one.
        Assert.False(Holds("{ field: user_agent, regex: \"^(a+)+$\" }"));
    }
}
