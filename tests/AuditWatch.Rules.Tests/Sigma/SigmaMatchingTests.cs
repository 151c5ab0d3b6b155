using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Rules.Tests.Sigma;

/// <summary>Sigma values, modifiers, keywords and conditions hold exactly when the Sigma specification says, on a real normalized request.</summary>
public sealed class SigmaMatchingTests
{
    private static readonly ApiRequest Read = RequestNormalizer.Normalize(new AuditEvent
    {
        AuditId = "a",
        Stage = AuditStage.ResponseComplete,
        Verb = "get",
        RequestUri = "/api/v1/namespaces/payments/secrets/sh.helm.release.v1.web.v3",
        User = new UserInfo("system:serviceaccount:ci:bot", null, ["system:serviceaccounts", "system:authenticated"], new Dictionary<string, IReadOnlyList<string>>()),
        SourceIps = ["203.0.113.50", "::ffff:10.1.2.3"],
        UserAgent = "python-requests/2.31.0",
        ObjectRef = new ObjectReference("secrets", "payments", "sh.helm.release.v1.web.v3", null, "v1", null),
        ResponseCode = 200,
        StageTimestamp = DateTimeOffset.UnixEpoch,
    });

    private static bool Holds(string detection)
    {
        var yaml = $"""
            title: T
            id: t-1
            logsource: {"{"} product: kubernetes, service: audit {"}"}
            detection:
            {Indent(detection)}
            level: low
            """;
        var errors = new List<RuleError>();
        var rules = SigmaLoader.Load([("t.yml", yaml)], [], errors);
        Assert.Empty(errors.Select(e => e.ToString()));
        return Assert.Single(rules).Applies(Read);
    }

    private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(line => "    " + line));

    [Theory]
    [InlineData("selection:\n    verb: GET\ncondition: selection", true)]
    [InlineData("selection:\n    verb|cased: GET\ncondition: selection", false)]
    [InlineData("selection:\n    verb: [list, watch]\ncondition: selection", false)]
    [InlineData("selection:\n    verb: [list, get]\ncondition: selection", true)]
    [InlineData("selection:\n    objectRef.resource: secrets\n    verb: list\ncondition: selection", false)]
    [InlineData("selection:\n    - objectRef.resource: configmaps\n    - verb: get\ncondition: selection", true)]
    [InlineData("selection:\n    requestURI|contains: /SECRETS/\ncondition: selection", true)]
    [InlineData("selection:\n    requestURI|startswith: /api/v1/namespaces/pay\ncondition: selection", true)]
    [InlineData("selection:\n    requestURI|endswith: web.v2\ncondition: selection", false)]
    [InlineData("selection:\n    requestURI|contains|all: [payments, secrets]\ncondition: selection", true)]
    [InlineData("selection:\n    requestURI|contains|all: [payments, configmaps]\ncondition: selection", false)]
    [InlineData("selection:\n    objectRef.name: 'sh.helm.*'\ncondition: selection", true)]
    [InlineData("selection:\n    objectRef.name: 'sh.helm.release.v?.web.v3'\ncondition: selection", true)]
    [InlineData("selection:\n    objectRef.name: 'sh\\*'\ncondition: selection", false)]
    [InlineData("selection:\n    objectRef.name: 'sh.helm'\ncondition: selection", false)]
    [InlineData("selection:\n    user.groups: SYSTEM:AUTHENTICATED\ncondition: selection", true)]
    [InlineData("selection:\n    user.username: 'system:serviceaccount:*:bot'\ncondition: selection", true)]
    [InlineData("selection:\n    userAgent|re: '^python-requests/2\\.\\d+'\ncondition: selection", true)]
    [InlineData("selection:\n    userAgent|re: '^PYTHON'\ncondition: selection", false)]
    [InlineData("selection:\n    userAgent|re|i: '^PYTHON'\ncondition: selection", true)]
    [InlineData("selection:\n    sourceIPs|cidr: 10.0.0.0/8\ncondition: selection", true)]
    [InlineData("selection:\n    sourceIPs|cidr: 192.168.0.0/16\ncondition: selection", false)]
    [InlineData("selection:\n    responseStatus.code: 200\ncondition: selection", true)]
    [InlineData("selection:\n    responseStatus.code: [401, 403]\ncondition: selection", false)]
    [InlineData("selection:\n    responseStatus.code|gte: 200\ncondition: selection", true)]
    [InlineData("selection:\n    responseStatus.code|lt: 200\ncondition: selection", false)]
    [InlineData("selection:\n    impersonatedUser.username: null\ncondition: selection", true)]
    [InlineData("selection:\n    objectRef.namespace: null\ncondition: selection", false)]
    [InlineData("selection:\n    impersonatedUser.username|exists: true\ncondition: selection", false)]
    [InlineData("selection:\n    objectRef.subresource|exists: false\ncondition: selection", true)]
    [InlineData("selection:\n    objectRef.namespace|fieldref: user.sa_namespace\ncondition: selection", false)]
    [InlineData("selection:\n    user.username|fieldref|endswith: user.sa_name\ncondition: selection", true)]
    [InlineData("selection:\n    secret.scope: object\ncondition: selection", true)]
    [InlineData("keywords:\n    - python-requests\ncondition: keywords", true)]
    [InlineData("keywords:\n    - 'sh.helm.release.*.web'\ncondition: keywords", true)]
    [InlineData("keywords:\n    - nothing-like-this\ncondition: keywords", false)]
    [InlineData("selection:\n    verb: get\nfilter:\n    objectRef.namespace: payments\ncondition: selection and not filter", false)]
    [InlineData("selection:\n    verb: get\nfilter:\n    objectRef.namespace: kube-system\ncondition: selection and not filter", true)]
    [InlineData("sel_a:\n    verb: list\nsel_b:\n    verb: get\ncondition: 1 of sel_*", true)]
    [InlineData("sel_a:\n    verb: list\nsel_b:\n    verb: get\ncondition: all of sel_*", false)]
    [InlineData("sel_a:\n    verb: list\nsel_b:\n    verb: get\ncondition: all of them", false)]
    [InlineData("sel_a:\n    verb: get\n_helper:\n    verb: list\ncondition: all of them", true)]
    [InlineData("a:\n    verb: list\nb:\n    verb: get\nc:\n    objectRef.resource: pods\ncondition: (a or b) and not c", true)]
    [InlineData("a:\n    verb: get\nb:\n    verb: list\nc:\n    objectRef.resource: secrets\ncondition: a or b and not c", true)]
    [InlineData("a:\n    verb: get\nb:\n    verb: list\nc:\n    objectRef.resource: secrets\ncondition: not a or b", false)]
    [InlineData("a:\n    verb: list\nb:\n    verb: get\ncondition:\n    - a\n    - b", true)]
    public void Sigma_constructs_hold_as_specified(string detection, bool expected)
    {
        Assert.Equal(expected, Holds(detection));
    }

    [Fact]
    public void The_SigmaHQ_rules_in_the_default_pack_load_with_their_id_title_and_level()
    {
        var set = RuleSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "rules"));

        Assert.Empty(set.Errors.Select(e => e.ToString()));
        var exec = Assert.Single(set.Rules, r => r.Id == "a1b0ca4e-7835-413e-8471-3ff2b8a66be6");
        Assert.Equal("Potential Remote Command Execution In Pod Container", exec.Title);
        Assert.Equal(Core.Alerts.Severity.Medium, exec.Severity);
        Assert.Equal("Leo Tsaousis (@laripping)", exec.Labels["author"]);
        Assert.Equal("T1609", exec.Labels["mitre_attack"]);

        // Referenced by correlations without generate: they do not alert on their own.
        Assert.DoesNotContain(set.Rules, r => r.Id == "eeb3e9e1-b685-44e4-9232-6bb701f925b5");
        Assert.Contains(set.Rules, r => r.Id == "0e9ad59f-e962-4e5c-b0b9-bfa1ad5aac18");
    }
}
