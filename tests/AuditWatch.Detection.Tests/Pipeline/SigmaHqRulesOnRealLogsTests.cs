using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// Each SigmaHQ rule of the default pack, loaded on its own as published, matches exactly the requests of real
/// recorded audit logs that its detection describes (checked against a hand-written predicate over the same requests).
/// </summary>
public sealed class SigmaHqRulesOnRealLogsTests
{
    private static readonly string SigmaFolder = Path.Combine(AppContext.BaseDirectory, "rules", "sigma");

    private static Rule LoadAlone(string file)
    {
        var errors = new List<RuleError>();
        var path = Path.Combine(SigmaFolder, file);
        var rules = SigmaLoader.Load([(path, File.ReadAllText(path))], [], errors);
        Assert.Empty(errors.Select(e => e.ToString()));
        return Assert.Single(rules);
    }

    private static async Task<List<ApiRequest>> Requests(params string[] fixtures)
    {
        var requests = new List<ApiRequest>();
        foreach (var fixture in fixtures)
        {
            await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "fixtures", "audit", fixture));
            var counter = new RequestCounter();
            await foreach (var record in new AuditStreamDecoder().DecodeAsync(stream, fixture))
            {
                if (record.Event is { } e && counter.Observe(e) == StageVerdict.Counted)
                {
                    requests.Add(RequestNormalizer.Normalize(e));
                }
            }
        }

        return requests;
    }

    public static TheoryData<string, string, Func<ApiRequest, bool>> Rules => new()
    {
        { "kubernetes_audit_secrets_enumeration.yml", "perfspec_helm_audit.jsonl", r => r.Verb == "list" && r.Resource == "secrets" },
        { "kubernetes_audit_unauthorized_unauthenticated_actions.yml", "perfspec_helm_audit.jsonl", r => r.ResponseCode is 401 or 403 },
        { "kubernetes_audit_unauthorized_unauthenticated_actions.yml", "audit2rbac_demo.log", r => r.ResponseCode is 401 or 403 },
        { "kubernetes_audit_exec_into_container.yml", "crowdsec_k8s_audit_tests.jsonl", r => r.Verb == "create" && r.Resource == "pods" && r.Subresource == "exec" },
        { "kubernetes_audit_exec_into_container.yml", "falco_k8s_audit_traces.jsonl", r => r.Verb == "create" && r.Resource == "pods" && r.Subresource == "exec" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task A_SigmaHQ_rule_matches_exactly_what_its_detection_describes(string rule, string fixture, Func<ApiRequest, bool> described)
    {
        var loaded = LoadAlone(rule);
        var requests = await Requests(fixture);

        var matched = requests.Where(loaded.Applies).Select(r => r.AuditId).ToList();
        var expected = requests.Where(described).Select(r => r.AuditId).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, matched);
    }

    private static ApiRequest Create(string resource) => RequestNormalizer.Normalize(new AuditEvent
    {
        AuditId = resource,
        Stage = AuditStage.ResponseComplete,
        Verb = "create",
        RequestUri = $"/apis/authorization.k8s.io/v1/{resource}",
        User = UserInfo.Named("eve"),
        ObjectRef = new ObjectReference(resource, null, null, "authorization.k8s.io", "v1", null),
        ResponseCode = 201,
        StageTimestamp = DateTimeOffset.UnixEpoch,
    });

    [Fact]
    public void The_RBAC_enumeration_rule_matches_kubectl_auth_can_i_list()
    {
        var rule = LoadAlone("kubernetes_audit_rbac_permisions_listing.yml");

        Assert.True(rule.Applies(Create("selfsubjectrulesreviews")));
        Assert.False(rule.Applies(Create("selfsubjectaccessreviews")));
    }
}
