using System.IO.Compression;
using System.Text;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

public sealed class InputShapeTests
{
    [Fact]
    public void Json_lines_give_one_event_per_line_with_its_line_number()
    {
        var results = Decode.Text($"{SampleEvents.Get("a")}\n{SampleEvents.Get("b")}\r\n\n{SampleEvents.Get("c")}\n");

        Assert.Equal(["a", "b", "c"], results.AuditIds());
        Assert.Equal([1L, 2L, 4L], results.Select(r => r.Position.Line));
        Assert.All(results, r => Assert.Equal(-1, r.Position.Item));
    }

    [Fact]
    public void Webhook_event_list_items_are_decoded_one_by_one_with_their_index()
    {
        var results = Decode.Text(SampleEvents.EventList(SampleEvents.Item("a"), SampleEvents.Item("b")));

        Assert.Equal(["a", "b"], results.AuditIds());
        Assert.Equal([0L, 1L], results.Select(r => r.Position.Item));
    }

    [Fact]
    public void Event_list_with_items_before_kind_and_metadata_after_is_read()
    {
        var body = $$$"""{"items":[{{{SampleEvents.Item("a")}}}],"kind":"EventList","metadata":{"resourceVersion":"1"}}""";

        Assert.Equal(["a"], Decode.Text(body).AuditIds());
    }

    [Fact]
    public void Consecutive_event_lists_and_events_are_all_read()
    {
        var text = $"{SampleEvents.EventList(SampleEvents.Item("a"), SampleEvents.Item("b"))}\n{SampleEvents.Get("c")}\n{SampleEvents.EventList(SampleEvents.Item("d"))}\n";

        var results = Decode.Text(text);

        Assert.Equal(["a", "b", "c", "d"], results.AuditIds());
        Assert.Equal([1L, 1L, 2L, 3L], results.Select(r => r.Position.Line));
    }

    [Fact]
    public void Pretty_printed_single_event_is_one_event()
    {
        var pretty = System.Text.Json.Nodes.JsonNode.Parse(SampleEvents.Get("a"))!.ToJsonString(new() { WriteIndented = true });

        var results = Decode.Text(pretty);

        Assert.Equal(["a"], results.AuditIds());
        Assert.Empty(results.Errors());
    }

    [Fact]
    public void Json_array_of_events_is_read_element_by_element()
    {
        var results = Decode.Text($"[\n{SampleEvents.Get("a")},\n{SampleEvents.Get("b")}\n]");

        Assert.Equal(["a", "b"], results.AuditIds());
        Assert.Equal([0L, 1L], results.Select(r => r.Position.Item));
    }

    [Fact]
    public void Gzip_is_recognised_by_content_not_name()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes($"{SampleEvents.Get("a")}\n{SampleEvents.Get("b")}\n"));
        }

        Assert.Equal(["a", "b"], Decode.Bytes(compressed.ToArray()).AuditIds());
    }

    [Fact]
    public void A_leading_byte_order_mark_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"{SampleEvents.Get("a")}\n{SampleEvents.Get("b")}\n")).ToArray();

        var results = Decode.Bytes(bytes, new DecoderOptions { ReadBufferBytes = 2 });

        Assert.Equal(["a", "b"], results.AuditIds());
        Assert.Empty(results.Errors());
    }

    [Fact]
    public void Fields_are_read_into_the_event()
    {
        var e = Assert.Single(Decode.Text(SampleEvents.Get("a", "payments", "stripe-key", "bob@example.com"))).Event!.Value;

        Assert.Equal(AuditStage.ResponseComplete, e.Stage);
        Assert.Equal("get", e.Verb);
        Assert.Equal("bob@example.com", e.User.Username);
        Assert.Equal(["system:authenticated"], e.User.Groups);
        Assert.Equal(new ObjectReference("secrets", "payments", "stripe-key", null, "v1", null), e.ObjectRef);
        Assert.Equal(200, e.ResponseCode);
        Assert.Equal("allow", e.AuthorizationDecision);
        Assert.Equal(["10.0.0.1"], e.SourceIps);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 10, 0, 1, TimeSpan.Zero).AddTicks(1234560), e.RequestReceivedTimestamp);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 10, 0, 1, TimeSpan.Zero).AddTicks(1254560), e.StageTimestamp);
    }

    [Fact]
    public void Older_logs_fall_back_to_the_timestamp_field()
    {
        var legacy = """{"kind":"Event","apiVersion":"audit.k8s.io/v1beta1","metadata":{"creationTimestamp":"2017-09-11T19:55:05Z"},"level":"Metadata","timestamp":"2017-09-11T19:55:05Z","auditID":"x","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/secrets","verb":"list","user":{"username":"system:admin"},"impersonatedUser":{"username":"bob","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"default"},"responseStatus":{"code":403}}""";

        var e = Assert.Single(Decode.Text(legacy)).Event!.Value;

        Assert.Equal(new DateTimeOffset(2017, 9, 11, 19, 55, 5, TimeSpan.Zero), e.StageTimestamp);
        Assert.Equal(e.StageTimestamp, e.RequestTime);
        Assert.Equal("bob", e.ImpersonatedUser!.Username);
    }

    [Fact]
    public void Bound_token_claims_in_user_extra_are_kept()
    {
        var json = SampleEvents.Get("a").Replace(
            "\"groups\":[\"system:authenticated\"]",
            "\"groups\":[\"system:authenticated\"],\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"web-1\"],\"authentication.kubernetes.io/credential-id\":[\"JTI=42\"]}",
            StringComparison.Ordinal);

        var e = Assert.Single(Decode.Text(json)).Event!.Value;

        Assert.Equal(["web-1"], e.User.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal(["JTI=42"], e.User.Extra["authentication.kubernetes.io/credential-id"]);
    }
}
