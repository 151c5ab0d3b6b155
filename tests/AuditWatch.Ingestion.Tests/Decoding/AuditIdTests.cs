using System.Text;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Forwarding;

namespace AuditWatch.Ingestion.Tests.Decoding;

/// <summary>
/// Audit IDs the apiserver generates are kept as UUID values, any other text as it is: an analyst must get back exactly
/// the text the audit log holds, and two requests must share an audit ID exactly when their texts are equal.
/// </summary>
public sealed class AuditIdTests
{
    public static TheoryData<string, string> Texts => new()
    {
        // JSON text in the event, the audit ID it means
        { "5867dbf3-0303-43e3-a9e8-23c4968d4d9b", "5867dbf3-0303-43e3-a9e8-23c4968d4d9b" },
        { "5867DBF3-0303-43E3-A9E8-23C4968D4D9B", "5867DBF3-0303-43E3-A9E8-23C4968D4D9B" },
        { "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000" },
        { "{5867dbf3-0303-43e3-a9e8-23c4968d4d9b}", "{5867dbf3-0303-43e3-a9e8-23c4968d4d9b}" },
        { "5867dbf303034 3e3a9e823c4968d4d9bxyz", "5867dbf303034 3e3a9e823c4968d4d9bxyz" },
        { "5867dbf3030343e3a9e823c4968d4d9b", "5867dbf3030343e3a9e823c4968d4d9b" },
        { "\\u0035867dbf3-0303-43e3-a9e8-23c4968d4d9b", "5867dbf3-0303-43e3-a9e8-23c4968d4d9b" },
        { "op-1", "op-1" },
        { "caf\\u00e9", "café" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void An_audit_id_decodes_to_exactly_its_text_streamed_and_in_a_whole_body(string json, string text)
    {
        var line = Decode.Text(SampleEvents.Get(json) + "\n");
        var list = new AuditStreamDecoder().Decode(Encoding.UTF8.GetBytes(SampleEvents.EventList(SampleEvents.Item(json))), "body");

        Assert.Equal([text], line.AuditIds());
        Assert.Equal([text], list.AuditIds());
        Assert.Equal(AuditId.Parse(text), line[0].Event!.Value.AuditId);
        Assert.Equal(AuditId.Parse(text).GetHashCode(), list[0].Event!.Value.AuditId.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_forwarded_event_carries_exactly_its_audit_id(string json, string text)
    {
        var decoded = Decode.Text(SampleEvents.Get(json) + "\n")[0].Event!.Value;

        var forwarded = Decode.Bytes([.. AuditEventWriter.Write(decoded), (byte)'\n']);

        Assert.Equal([text], forwarded.AuditIds());
        Assert.Equal(decoded.AuditId, forwarded[0].Event!.Value.AuditId);
    }

    [Theory]
    [InlineData("5867dbf3-0303-43e3-a9e8-23c4968d4d9b")]
    [InlineData("5867DBF3-0303-43E3-A9E8-23C4968D4D9B")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("op-1")]
    [InlineData("")]
    public void An_audit_id_is_rebuilt_exactly_from_its_uuid_or_its_text(string text)
    {
        // What windows keep of a read: the UUID as 16 bytes, or else the text.
        var id = AuditId.Parse(text);

        var rebuilt = id.TryGetUuid(out var uuid) ? AuditId.FromUuid(uuid) : AuditId.Parse(id.Text!);

        Assert.Equal(id, rebuilt);
        Assert.Equal(text, rebuilt.ToString());
        Assert.Equal(id.TryGetUuid(out _), id.Text is null);
    }

    [Fact]
    public void The_all_zero_uuid_is_no_audit_id_and_has_no_text()
    {
        Assert.True(AuditId.FromUuid(Guid.Empty).IsNone);
        Assert.Null(default(AuditId).Text);
        Assert.Equal(string.Empty, AuditId.Parse(string.Empty).Text);
    }

    [Fact]
    public void The_same_uuid_written_in_another_case_is_another_audit_id()
    {
        var lower = AuditId.Parse("5867dbf3-0303-43e3-a9e8-23c4968d4d9b");
        var upper = AuditId.Parse("5867DBF3-0303-43E3-A9E8-23C4968D4D9B");

        Assert.NotEqual(lower, upper);
        Assert.Equal(lower, AuditId.Parse(new string("5867dbf3-0303-43e3-a9e8-23c4968d4d9b")));
    }

    [Fact]
    public void Invalid_utf8_in_an_audit_id_is_an_error_for_that_event_alone()
    {
        var good = Encoding.UTF8.GetBytes(SampleEvents.Get("a") + "\n");
        var bad = Encoding.UTF8.GetBytes(SampleEvents.Get("bX") + "\n");
        bad[Array.IndexOf(bad, (byte)'X')] = 0xFF;

        var streamed = Decode.Bytes([.. good, .. bad, .. good]);
        var whole = new AuditStreamDecoder().Decode([.. good, .. bad, .. good], "body");

        Assert.All(new[] { streamed, whole }, results =>
        {
            Assert.Equal(["a", "a"], results.AuditIds());
            Assert.Equal(DecodeErrorKind.InvalidJson, Assert.Single(results.Errors()).Kind);
        });
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("null")]
    public void An_empty_audit_id_is_reported_as_missing(string value)
    {
        var body = SampleEvents.Get("PLACEHOLDER").Replace("\"PLACEHOLDER\"", value, StringComparison.Ordinal);

        var result = Assert.Single(Decode.Text(body + "\n"));

        Assert.Null(result.Event);
        Assert.Contains("auditID", result.Error!.Reason, StringComparison.Ordinal);
    }
}
