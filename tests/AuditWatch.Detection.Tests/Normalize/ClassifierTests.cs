using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Tests.Normalize;

[Collection(ProcessWideCaches.Name)]
public sealed class ClassifierTests
{
    [Theory]
    [InlineData("get", "ns", "db", "/api/v1/namespaces/ns/secrets/db", SecretScope.Object, "ns/db")]
    [InlineData("list", "ns", null, "/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Ddb&limit=500", SecretScope.Object, "ns/db")]
    [InlineData("watch", "ns", null, "/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3D%3Ddb&watch=true", SecretScope.Object, "ns/db")]
    [InlineData("list", "ns", null, "/api/v1/namespaces/ns/secrets?labelSelector=owner%3Dhelm", SecretScope.Namespace, "ns/*")]
    [InlineData("list", "ns", null, "/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Ddb%2Ctype%3DOpaque", SecretScope.Namespace, "ns/*")]
    [InlineData("list", null, null, "/api/v1/secrets?limit=500", SecretScope.Cluster, "*")]
    [InlineData("watch", null, null, "/api/v1/secrets?watch=true", SecretScope.Cluster, "*")]
    public void Secret_reads_are_scoped_by_what_they_expose(string verb, string? ns, string? name, string uri, SecretScope scope, string key)
    {
        var read = SecretReadClassifier.Classify(verb, new ObjectReference("secrets", ns, name, null, "v1", null), uri);

        Assert.Equal(scope, read!.Scope);
        Assert.Equal(key, read.ObjectKey);
    }

    [Fact]
    public void Reads_of_one_shared_object_reference_share_one_read_and_key()
    {
        var objectRef = new ObjectReference("secrets", "ns", "db", null, "v1", null);

        var first = SecretReadClassifier.Classify("get", objectRef, "/api/v1/namespaces/ns/secrets/db");
        var again = SecretReadClassifier.Classify("watch", objectRef, "/api/v1/namespaces/ns/secrets/db?watch=true");

        Assert.Same(first, again);
        Assert.Equal("ns/db", again!.ObjectKey);
    }

    [Fact]
    public void Object_references_sharing_a_cache_slot_never_get_each_others_read()
    {
        var objectRefs = Enumerable.Range(0, 40_000).Select(i => new ObjectReference("secrets", $"ns-{i % 7}", $"s-{i}", null, "v1", null)).ToArray();
        var wrong = 0;

        Parallel.For(0, objectRefs.Length * 3, i =>
        {
            var objectRef = objectRefs[(i * 7919) % objectRefs.Length];
            if (SecretReadClassifier.Classify("get", objectRef, "/x")!.ObjectKey != $"{objectRef.Namespace}/{objectRef.Name}")
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [Theory]
    [InlineData("create", "secrets", null, null)]
    [InlineData("delete", "secrets", null, null)]
    [InlineData("get", "secrets", "status", null)]
    [InlineData("get", "secrets", null, "example.com")]
    [InlineData("get", "configmaps", null, null)]
    public void Other_requests_are_not_secret_reads(string verb, string resource, string? subresource, string? group)
    {
        Assert.Null(SecretReadClassifier.Classify(verb, new ObjectReference(resource, "ns", "x", group, "v1", subresource), "/x"));
    }

    [Theory]
    [InlineData(200, null, RequestOutcome.Allowed)]
    [InlineData(201, null, RequestOutcome.Allowed)]
    [InlineData(403, "forbid", RequestOutcome.Denied)]
    [InlineData(401, null, RequestOutcome.Denied)]
    [InlineData(404, null, RequestOutcome.NotFound)]
    [InlineData(500, null, RequestOutcome.Error)]
    [InlineData(null, "forbid", RequestOutcome.Denied)]
    [InlineData(null, null, RequestOutcome.Unknown)]
    public void Outcome_follows_the_response_code(int? code, string? decision, RequestOutcome outcome)
    {
        Assert.Equal(outcome, OutcomeClassifier.Classify(code, decision));
    }

    [Theory]
    [InlineData("kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819", "kubectl")]
    [InlineData("python-requests/2.31.0", "python-requests")]
    [InlineData("Go-http-client/2.0", "Go-http-client")]
    [InlineData("curl/8.5.0", "curl")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64)", "Mozilla")]
    [InlineData("helm", "helm")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void User_agent_product_is_the_first_token(string? agent, string? product)
    {
        Assert.Equal(product, UserAgentProduct.Of(agent));
    }
}
