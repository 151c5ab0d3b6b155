using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// The per-shape prefilter decides exactly as the rule and its sequence steps themselves, for every rule of the default pack (native and SigmaHQ)
/// over real recorded requests and variants of them with every outcome and identity kind, and a few status codes and user agents: a rule never misses a request
/// because another request of the same shape was judged first, nor is a request kept from a rule by its shape.
/// </summary>
public sealed class RulePrefilterTests
{
    private static readonly IReadOnlyList<Rule> Pack = RuleSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "rules")).Enabled;

    private static readonly int?[] Codes = [200, 201, 401, 403, 404, 409, 500, null];

    private static readonly string[] UserAgents = ["kubectl", "curl", "python-requests", "Helm", "kube-controller-manager"];

    private static async Task<List<ApiRequest>> RealRequestsAndVariants()
    {
        var requests = new List<ApiRequest>();
        foreach (var fixture in new[] { "perfspec_helm_audit.jsonl", "audit2rbac_demo.log", "crowdsec_k8s_audit_tests.jsonl", "falco_k8s_audit_traces.jsonl", "falco_secret_create_with_data.jsonl" })
        {
            await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "fixtures", "audit", fixture));
            var counter = new RequestCounter();
            var taken = 0;
            await foreach (var record in new AuditStreamDecoder().DecodeAsync(stream, fixture))
            {
                if (record.Event is { } e && counter.Observe(e) == StageVerdict.Counted && taken++ < 3000)
                {
                    var request = RequestNormalizer.Normalize(e);
                    requests.Add(request);
                    requests.AddRange(Enum.GetValues<RequestOutcome>().Select(outcome => request with { Outcome = outcome }));
                    requests.AddRange(Enum.GetValues<IdentityKind>().Select(kind => request with { Identity = request.Identity with { Kind = kind } }));
                    requests.AddRange(Codes.Select(code => request with { ResponseCode = code }));
                    requests.AddRange(UserAgents.Select(agent => request with { UserAgent = agent + "/1.0", UserAgentProduct = agent }));
                }
            }
        }

        return requests;
    }

    private static bool TakesInput(Rule rule, ApiRequest request) =>
        rule.Applies(request) && (rule.Kind != RuleKind.Sequence || rule.Steps.Any(step => step.Where.Matches(request)));

    [Theory]
    [InlineData(RequestShapes.DefaultCapacity)]
    [InlineData(5)]
    public async Task Every_rule_passes_exactly_the_requests_it_applies_to(int shapeCapacity)
    {
        var requests = await RealRequestsAndVariants();
        var shapes = new RequestShapes(shapeCapacity);
        var prefilters = Pack.Select(rule => new RulePrefilter(rule)).ToList();
        var disagreements = new List<string>();
        var skipped = 0;

        // Twice over: the second pass answers from the verdicts the first one stored.
        foreach (var request in requests.Concat(requests))
        {
            var shape = shapes.Of(request);
            for (var i = 0; i < Pack.Count; i++)
            {
                var passes = prefilters[i].Passes(shape, request);
                var applies = Pack[i].Applies(request);
                skipped += passes ? 0 : 1;

                // A sequence may be told of a request its steps then ignore; never the reverse.
                var wrong = Pack[i].Kind == RuleKind.Sequence
                    ? (passes && !applies) || (!passes && TakesInput(Pack[i], request))
                    : passes != applies;
                if (wrong && disagreements.Count < 10)
                {
                    disagreements.Add($"{Pack[i].Id}: prefilter {passes}, rule {applies} for {request.Verb} {request.RequestUri} ({request.Outcome}, {request.Identity.Kind})");
                }

                // What routes requests to rules (RoutedRequests) judges the shape alone: it may admit what the rule then
                // turns away, never turn away what the rule would take.
                var usable = Pack[i].Kind == RuleKind.Sequence ? TakesInput(Pack[i], request) : applies;
                if (!prefilters[i].AdmitsShape(shape, request) && (passes || usable) && disagreements.Count < 10)
                {
                    disagreements.Add($"{Pack[i].Id}: shape not admitted, rule {applies} for {request.Verb} {request.RequestUri} ({request.Outcome}, {request.Identity.Kind})");
                }

                for (var step = 0; step < Pack[i].Steps.Count; step++)
                {
                    var matches = prefilters[i].MatchesStep(step, shape, request);
                    if (matches != Pack[i].Steps[step].Where.Matches(request) && disagreements.Count < 10)
                    {
                        disagreements.Add($"{Pack[i].Id} step {step}: prefilter {matches} for {request.Verb} {request.RequestUri} ({request.Outcome}, {request.Identity.Kind})");
                    }
                }
            }
        }

        Assert.Empty(disagreements);
        Assert.True(skipped > requests.Count, "the prefilter should rule out most rules for most requests");
        Assert.True(shapes.Count <= shapeCapacity);
    }

    [Fact]
    public void Most_rules_of_the_default_pack_are_decided_in_part_by_the_requests_shape()
    {
        var withoutShapeTest = Pack.Where(rule => new RulePrefilter(rule).ByShape is null).Select(rule => rule.Id).ToList();

        // bound-token-off-pod looks at any request of a bound token, whatever its kind.
        Assert.True(withoutShapeTest.Count <= 1, "rules the prefilter cannot help: " + string.Join(", ", withoutShapeTest));
    }
}
