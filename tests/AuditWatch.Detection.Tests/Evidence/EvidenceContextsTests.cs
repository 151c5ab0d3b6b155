using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Tests.Builders;

namespace AuditWatch.Detection.Tests.Evidence;

/// <summary>
/// Identities that work alike share one evidence context, and a context is only ever taken for a request it describes
/// in full: what an alert reports of a request never comes from another.
/// </summary>
public sealed class EvidenceContextsTests
{
    private static readonly IReadOnlyList<string> Bastion = ["10.0.0.1"];

    private static ApiRequest Read(string user, string ns, IReadOnlyList<string> sourceIps, string userAgent = "kubectl/v1.31.0", int code = 200) =>
        RequestNormalizer.Normalize(AuditEvents.SecretGet(user, ns, "db", AuditEvents.T0, code) with { SourceIps = sourceIps, UserAgent = userAgent });

    [Fact]
    public void Identities_that_work_alike_share_one_context()
    {
        var contexts = new EvidenceContexts();
        var alice = contexts.For(Read("alice", "dev", Bastion), neighbour: null);
        var bob = contexts.For(Read("bob", "dev", Bastion), neighbour: null);

        Assert.Same(alice, bob);
    }

    [Fact]
    public void A_request_that_differs_in_any_part_gets_a_context_that_describes_it()
    {
        var contexts = new EvidenceContexts();
        var shared = contexts.For(Read("alice", "dev", Bastion), neighbour: null);
        var others = new[]
        {
            Read("bob", "prod", Bastion),
            Read("bob", "dev", ["10.0.0.2"]),
            Read("bob", "dev", Bastion, userAgent: "curl/8.5.0"),
            Read("bob", "dev", Bastion, code: 403),
            RequestNormalizer.Normalize(AuditEvents.SecretGet("bob", "dev", "db", AuditEvents.T0) with
            {
                SourceIps = Bastion,
                UserAgent = "kubectl/v1.31.0",
                ImpersonatedUser = UserInfo.Named("carol"),
            }),
        };

        foreach (var request in others)
        {
            var context = contexts.For(request, neighbour: shared);
            Assert.NotSame(shared, context);
            Assert.Equal(request.Namespace, context.Namespace);
            Assert.Equal(request.SourceIps, context.SourceIps);
            Assert.Equal(request.UserAgent, context.UserAgent);
            Assert.Equal(request.Outcome, context.Outcome);
            Assert.Equal(request.Identity.ImpersonatedUser, context.ImpersonatedUser);
        }
    }

    [Fact]
    public void A_context_with_a_long_user_agent_describes_its_request_but_is_not_kept_for_others()
    {
        var contexts = new EvidenceContexts();
        var longAgent = new string('x', 2_000);
        var first = Read("alice", "dev", Bastion, userAgent: longAgent);
        var second = Read("bob", "dev", Bastion, userAgent: longAgent);

        var context = contexts.For(first, neighbour: null);

        Assert.Equal(longAgent, context.UserAgent);
        Assert.NotSame(context, contexts.For(second, neighbour: null));
        Assert.Same(context, contexts.For(second, neighbour: context));
    }

    [Fact]
    public void Equal_parts_in_other_instances_still_get_a_context_that_describes_them()
    {
        var contexts = new EvidenceContexts();
        var first = contexts.For(Read("alice", "dev", Bastion), neighbour: null);
        var request = Read("bob", new string("dev".AsSpan()), [new string("10.0.0.1".AsSpan())]);

        var context = contexts.For(request, neighbour: null);

        Assert.True(context.Describes(request));
        Assert.True(first.Describes(request));
    }
}
