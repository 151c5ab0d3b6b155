using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

/// <summary>Managed clusters' envelopes unwrap into the same audit events as the raw log.</summary>
public sealed class EnvelopeTests
{
    private static string Base64Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    [Fact]
    public void Eks_cloudwatch_subscription_records_unwrap_to_their_events()
    {
        var payload = JsonSerializer.Serialize(new
        {
            messageType = "DATA_MESSAGE",
            logGroup = "/aws/eks/demo/cluster",
            logEvents = new[] { new { id = "1", timestamp = 1, message = SampleEvents.Get("a") }, new { id = "2", timestamp = 2, message = SampleEvents.Get("b") } },
        });

        var results = Decode.Text(JsonSerializer.Serialize(new { awslogs = new { data = Base64Gzip(payload) } }));

        Assert.Equal(["a", "b"], results.AuditIds());
        Assert.Equal([0L, 1L], results.Select(r => r.Position.Item));
    }

    [Fact]
    public void A_control_message_is_no_event_and_no_error()
    {
        Assert.Empty(Decode.Text("""{"messageType":"CONTROL_MESSAGE","logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE"}]}"""));
    }

    [Fact]
    public void Corrupt_awslogs_data_is_one_clear_error()
    {
        var error = Assert.Single(Decode.Text("""{"awslogs":{"data":"bm90IGd6aXA="}}""")).Error!;

        Assert.Equal(DecodeErrorKind.NotAnEvent, error.Kind);
        Assert.Contains("CloudWatch Logs subscription record", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Aks_records_with_the_log_as_string_or_object_unwrap_and_other_categories_are_skipped()
    {
        var body = $$$"""{"records":[{"category":"kube-audit","properties":{"log":{{{JsonSerializer.Serialize(SampleEvents.Get("a"))}}}}},{"category":"kube-audit-admin","properties":{"log":{{{SampleEvents.Get("b")}}}}},{"category":"kube-apiserver","properties":{"log":"I1102 a log line"}}]}""";

        var results = Decode.Text(body);

        Assert.Equal(["a", "b"], results.AuditIds());
        Assert.Empty(results.Errors());
    }

    [Fact]
    public void Gke_entries_become_audit_events()
    {
        var entry = """{"insertId":"x1","operation":{"id":"op-1","first":true,"last":true},"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"io.k8s.core.v1.secrets.get","resourceName":"core/v1/namespaces/payments/secrets/stripe-key","requestMetadata":{"callerIp":"203.0.113.9","callerSuppliedUserAgent":"curl/8.5.0"},"serviceName":"k8s.io","status":{"code":7}},"resource":{"type":"k8s_cluster"},"timestamp":"2026-11-02T10:00:01.5Z"}""";

        var e = Assert.Single(Decode.Text(entry)).Event!.Value;

        Assert.Equal(("op-1", "get", "mallory@example.com"), (e.AuditId, e.Verb, e.User.Username));
        Assert.Equal(new ObjectReference("secrets", "payments", "stripe-key", null, "v1", null), e.ObjectRef);
        Assert.Equal(403, e.ResponseCode);
        Assert.Equal(["203.0.113.9"], e.SourceIps);
        Assert.Equal("curl/8.5.0", e.UserAgent);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 10, 0, 1, 500, TimeSpan.Zero), e.RequestTime);
    }

    [Fact]
    public void A_gke_entry_stamped_in_year_9999_costs_only_itself_and_is_named()
    {
        const string Entry = """{"insertId":"INSERT","protoPayload":{"authenticationInfo":{"principalEmail":"mallory@example.com"},"methodName":"io.k8s.core.v1.secrets.get","resourceName":"core/v1/namespaces/payments/secrets/stripe-key","serviceName":"k8s.io"},"timestamp":"TIME"}""";
        string Of(string id, string time) => Entry.Replace("INSERT", id, StringComparison.Ordinal).Replace("TIME", time, StringComparison.Ordinal);

        var results = Decode.Text($"{Of("a", "2026-11-02T10:00:01Z")}\n{Of("odd", "9999-12-31T23:59:59Z")}\n{Of("b", "2026-11-02T10:00:02Z")}\n");

        Assert.Equal(["a", "b"], results.AuditIds());
        var error = Assert.Single(results.Errors());
        Assert.Equal(DecodeErrorKind.TimeOutOfRange, error.Kind);
        Assert.Contains("'timestamp' 9999-12-31 is outside the years 1970-2999", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rbac.authorization.k8s.io/v1/namespaces/ci/rolebindings/x", "rolebindings", "ci", "x", "rbac.authorization.k8s.io")]
    [InlineData("core/v1/secrets", "secrets", null, null, null)]
    [InlineData("core/v1/namespaces/ci/pods/web-1/exec", "pods", "ci", "web-1", null)]
    public void Gke_resource_names_parse(string resourceName, string resource, string? ns, string? name, string? group)
    {
        var entry = $$"""{"protoPayload":{"authenticationInfo":{"principalEmail":"a@b"},"methodName":"io.k8s.x.v1.{{resource}}.list","resourceName":"{{resourceName}}","serviceName":"k8s.io"},"timestamp":"2026-11-02T10:00:00Z"}""";

        var reference = Assert.Single(Decode.Text(entry)).Event!.Value.ObjectRef!;

        Assert.Equal((resource, ns, name, group), (reference.Resource, reference.Namespace, reference.Name, reference.ApiGroup));
    }
}
