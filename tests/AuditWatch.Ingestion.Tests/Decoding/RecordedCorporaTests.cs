using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

/// <summary>Audit logs recorded by real apiservers (see fixtures/audit/NOTICE.md) decode without a single error.</summary>
public sealed class RecordedCorporaTests
{
    [Theory]
    [InlineData("perfspec_helm_audit.jsonl", 16_563)]
    [InlineData("audit2rbac_demo.log", 37)]
    [InlineData("falco_k8s_audit_traces.jsonl", 51)]
    [InlineData("falco_secret_create_with_data.jsonl", 3)]
    [InlineData("crowdsec_k8s_audit_tests.jsonl", 2)]
    public async Task Recorded_log_decodes_completely(string file, int events)
    {
        var decoder = new AuditStreamDecoder();
        await using var stream = File.OpenRead(Path.Combine("fixtures", "audit", file));

        var results = await decoder.DecodeAsync(stream, file).ToListAsync();

        Assert.Empty(results.Where(r => r.Error is not null).Select(r => r.Error!.ToString()));
        Assert.Equal(events, results.Count);
    }

    [Fact]
    public async Task Recorded_secret_creates_with_data_are_flagged_and_values_dropped()
    {
        var decoder = new AuditStreamDecoder();
        await using var stream = File.OpenRead(Path.Combine("fixtures", "audit", "falco_secret_create_with_data.jsonl"));

        var events = await decoder.DecodeAsync(stream, "f").Select(r => r.Event!.Value).ToListAsync();

        Assert.All(events, e => Assert.Equal(SecretPayload.RequestObject | SecretPayload.ResponseObject, e.SecretPayload));
        Assert.All(events, e => Assert.DoesNotContain("UkVEQUNURUQtc2FtcGxlLXZhbHVl", e.ToString(), StringComparison.Ordinal));
    }
}
