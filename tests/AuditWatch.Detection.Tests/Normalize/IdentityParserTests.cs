using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Detection.Tests.Normalize;

public sealed class IdentityParserTests
{
    [Theory]
    [InlineData("alice@example.com", IdentityKind.Human)]
    [InlineData("kubernetes-admin", IdentityKind.Human)]
    [InlineData("system:admin", IdentityKind.Human)]
    [InlineData("system:anonymous", IdentityKind.Anonymous)]
    [InlineData("system:kube-controller-manager", IdentityKind.ControlPlane)]
    [InlineData("system:kube-scheduler", IdentityKind.ControlPlane)]
    [InlineData("system:node:worker-1", IdentityKind.Node)]
    [InlineData("system:serviceaccount:ci:deploy-bot", IdentityKind.ServiceAccount)]
    [InlineData("system:serviceaccount:broken", IdentityKind.Human)]
    public void Kind_follows_the_username(string username, IdentityKind kind)
    {
        Assert.Equal(kind, IdentityParser.Parse(UserInfo.Named(username), null).Kind);
    }

    [Fact]
    public void Service_accounts_parse_into_namespace_and_name()
    {
        var identity = IdentityParser.Parse(UserInfo.Named("system:serviceaccount:kube-system:replicaset-controller"), null);

        Assert.Equal(("kube-system", "replicaset-controller"), (identity.ServiceAccountNamespace, identity.ServiceAccountName));
    }

    [Fact]
    public void Kubelets_carry_their_node_name()
    {
        Assert.Equal("worker-1", IdentityParser.Parse(UserInfo.Named("system:node:worker-1"), null).NodeName);
    }

    [Fact]
    public void Unauthenticated_group_means_anonymous()
    {
        var user = new UserInfo("whoever", null, ["system:unauthenticated"], UserInfo.NoExtra);

        Assert.Equal(IdentityKind.Anonymous, IdentityParser.Parse(user, null).Kind);
    }

    [Fact]
    public void Bound_token_claims_are_read_from_extra()
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>
        {
            [IdentityParser.PodNameClaim] = ["web-7c9f8"],
            [IdentityParser.NodeNameClaim] = ["worker-2"],
            [IdentityParser.CredentialIdClaim] = ["JTI=9e1c"],
        };

        var identity = IdentityParser.Parse(new UserInfo("system:serviceaccount:web:web", "u1", [], extra), null);

        Assert.Equal(("web-7c9f8", "worker-2", "JTI=9e1c"), (identity.PodNameClaim, identity.NodeNameClaim, identity.CredentialId));
    }

    [Fact]
    public void Impersonation_keeps_the_real_user_as_the_key_and_shows_both()
    {
        var identity = IdentityParser.Parse(UserInfo.Named("bob"), UserInfo.Named("system:serviceaccount:x:y"));

        Assert.Equal("bob", identity.Username);
        Assert.Equal("system:serviceaccount:x:y", identity.ImpersonatedUser);
        Assert.Equal("bob as system:serviceaccount:x:y", identity.Display);
    }
}
