using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Tests.Builders;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Detection.Tests.Pipeline;

/// <summary>
/// Requests of one shape get one number whether or not their strings are the same instances, and requests that differ
/// in anything a shape holds never share one, also when they share every string (the recent-shape table compares
/// strings by reference and the rest by value).
/// </summary>
public sealed class RequestShapesTests
{
    private static readonly ApiRequest Read = RequestNormalizer.Normalize(AuditEvents.SecretGet("alice", "dev", "db", AuditEvents.T0));

    [Fact]
    public void Equal_shapes_built_from_different_strings_share_a_number()
    {
        var shapes = new RequestShapes();
        var copy = Read with
        {
            Verb = new string(Read.Verb.AsSpan()),
            Resource = new string(Read.Resource.AsSpan()),
            ApiGroup = Read.ApiGroup is null ? null : new string(Read.ApiGroup.AsSpan()),
        };

        Assert.NotSame(Read.Verb, copy.Verb);
        Assert.Same(shapes.Of(Read), shapes.Of(copy));
        Assert.Same(shapes.Of(Read), shapes.Of(Read));
        Assert.Equal(1, shapes.Count);
    }

    [Fact]
    public void Requests_that_differ_only_in_what_a_shape_holds_besides_strings_never_share_a_number()
    {
        var shapes = new RequestShapes();
        ApiRequest[] variants =
        [
            Read,
            Read with { Outcome = RequestOutcome.Denied },
            Read with { ResponseCode = 403 },
            Read with { ResponseCode = null },
            Read with { Identity = Read.Identity with { Kind = IdentityKind.ServiceAccount } },
            Read with { SecretRead = Read.SecretRead! with { Scope = SecretScope.Namespace } },
            Read with { SecretRead = null },
            Read with { SecretPayload = Core.Events.SecretPayload.ResponseObject },
            Read with { Subresource = "status" },
        ];

        // Twice over: the second pass is answered from the table of recent shapes.
        var first = variants.Select(shapes.Of).ToList();
        var second = variants.Select(shapes.Of).ToList();

        Assert.Equal(variants.Length, first.Select(s => s.Id).Distinct().Count());
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_recent_shape_table_takes_a_key_as_its_own_only_when_every_part_agrees_and_the_strings_are_the_same_instances()
    {
        var key = ShapeKey.Of(Read);
        ShapeKey[] differing =
        [
            key with { Verb = "list" },
            key with { Resource = "pods" },
            key with { Subresource = "status" },
            key with { ApiGroup = "apps" },
            key with { Outcome = RequestOutcome.Denied },
            key with { ResponseCode = 403 },
            key with { IdentityKind = IdentityKind.Node },
            key with { SecretScope = SecretScope.Cluster },
            key with { SecretPayload = !key.SecretPayload },
        ];

        Assert.True(key.SameInstancesAs(key with { }));
        Assert.All(differing, other => Assert.False(key.SameInstancesAs(other), other.ToString()));

        // Equal by value, not the same instance: the table misses and the dictionary, which compares values, answers.
        var withParts = key with { Subresource = "status", ApiGroup = "apps" };
        ShapeKey[] copies =
        [
            withParts with { Verb = new string(key.Verb.AsSpan()) },
            withParts with { Resource = new string(key.Resource.AsSpan()) },
            withParts with { Subresource = new string("status".AsSpan()) },
            withParts with { ApiGroup = new string("apps".AsSpan()) },
        ];
        Assert.All(copies, copy => Assert.Equal(withParts, copy));
        Assert.All(copies, copy => Assert.False(withParts.SameInstancesAs(copy)));
    }
}
