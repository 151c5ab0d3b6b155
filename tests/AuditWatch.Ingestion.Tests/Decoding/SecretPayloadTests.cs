using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Tests.Decoding;

public sealed class SecretPayloadTests
{
    private const string Planted = "cGxhbnRlZC1zZWNyZXQtdmFsdWUtNDI=";

    [Fact]
    public void Secret_bodies_are_dropped_and_their_presence_recorded()
    {
        var json = $$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"s","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/secrets","verb":"create","user":{"username":"admin"},"objectRef":{"resource":"secrets","namespace":"default","name":"db","apiVersion":"v1"},"responseStatus":{"code":201},"requestObject":{"kind":"Secret","data":{"password":"{{{Planted}}}"}},"responseObject":{"kind":"Secret","data":{"password":"{{{Planted}}}"}},"requestReceivedTimestamp":"2026-11-02T10:00:00.000000Z","stageTimestamp":"2026-11-02T10:00:00.000000Z"}""";

        var e = Assert.Single(Decode.Text(json)).Event!.Value;

        Assert.Equal(SecretPayload.RequestObject | SecretPayload.ResponseObject, e.SecretPayload);
        Assert.DoesNotContain(Planted, e.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tokenreviews", null, "requestObject")]
    [InlineData("serviceaccounts", "token", "responseObject")]
    public void Token_bodies_are_dropped(string resource, string? subresource, string body)
    {
        var objectRef = subresource is null
            ? $"{{\"resource\":\"{resource}\"}}"
            : $"{{\"resource\":\"{resource}\",\"subresource\":\"{subresource}\"}}";
        var json = $$$"""{"auditID":"t","stage":"ResponseComplete","verb":"create","user":{"username":"system:kube-controller-manager"},"objectRef":{{{objectRef}}},"{{{body}}}":{"spec":{"token":"{{{Planted}}}"},"status":{"token":"{{{Planted}}}"}},"stageTimestamp":"2026-11-02T10:00:00Z"}""";

        var e = Assert.Single(Decode.Text(json)).Event!.Value;

        Assert.NotEqual(SecretPayload.None, e.SecretPayload);
        Assert.DoesNotContain(Planted, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_level_secret_reads_carry_no_payload()
    {
        Assert.Equal(SecretPayload.None, Assert.Single(Decode.Text(SampleEvents.Get("a"))).Event!.Value.SecretPayload);
    }

    [Fact]
    public void Pod_bodies_give_the_secrets_the_pod_mounts()
    {
        var json = """{"auditID":"p","stage":"ResponseComplete","verb":"create","user":{"username":"eve"},"objectRef":{"resource":"pods","namespace":"ci","name":"x"},"requestObject":{"kind":"Pod","spec":{"volumes":[{"name":"v","secret":{"secretName":"db-creds"}},{"name":"p","projected":{"sources":[{"secret":{"name":"api-token"}}]}}],"containers":[{"name":"c","env":[{"name":"K","valueFrom":{"secretKeyRef":{"name":"stripe","key":"k"}}}],"envFrom":[{"secretRef":{"name":"env-secrets"}}]}]}},"stageTimestamp":"2026-11-02T10:00:00Z"}""";

        var e = Assert.Single(Decode.Text(json)).Event!.Value;

        Assert.Equal(["db-creds", "api-token", "stripe", "env-secrets"], e.RequestFacts.ReferencedSecrets);
    }

    [Fact]
    public void Rbac_bodies_give_role_reference_subjects_and_secret_grants()
    {
        var binding = """{"auditID":"b","stage":"ResponseComplete","verb":"create","user":{"username":"eve"},"objectRef":{"resource":"rolebindings","namespace":"ci","apiGroup":"rbac.authorization.k8s.io"},"requestObject":{"roleRef":{"kind":"ClusterRole","name":"secret-reader"},"subjects":[{"kind":"ServiceAccount","name":"bot","namespace":"ci"},{"kind":"User","name":"eve"}]},"stageTimestamp":"2026-11-02T10:00:00Z"}""";
        var role = """{"auditID":"r","stage":"ResponseComplete","verb":"create","user":{"username":"eve"},"objectRef":{"resource":"clusterroles","apiGroup":"rbac.authorization.k8s.io"},"requestObject":{"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get","list"]}]},"stageTimestamp":"2026-11-02T10:00:00Z"}""";

        var results = Decode.Text(binding + "\n" + role);

        var facts = results[0].Event!.Value.RequestFacts;
        Assert.Equal(("ClusterRole", "secret-reader"), (facts.RoleRefKind, facts.RoleRefName));
        Assert.Equal(["system:serviceaccount:ci:bot", "eve"], facts.Subjects);
        Assert.True(results[1].Event!.Value.RequestFacts.GrantsSecretRead);
    }
}
