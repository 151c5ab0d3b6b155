using System.Text;
using System.Text.Json;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

/// <summary>
/// A body decoded in memory (webhook, Kafka) takes a one-pass fast path when it is well formed; whatever the input,
/// the results must be exactly those of the streaming framer: the same events, errors and positions.
/// </summary>
public sealed class WholeBodyDecodingTests
{
    private static string Canonical(IReadOnlyList<DecodeResult> results) => JsonSerializer.Serialize(results);

    private static void AssertSameAsStreaming(byte[] body)
    {
        var inMemory = new AuditStreamDecoder().Decode(body, "body");
        var streamed = new AuditStreamDecoder().DecodeAsync(new MemoryStream(body), "body").ToBlockingEnumerable().ToList();

        Assert.Equal(Canonical(streamed), Canonical(inMemory));
    }

    [Theory]
    [InlineData("perfspec_helm_audit.jsonl")]
    [InlineData("audit2rbac_demo.log")]
    [InlineData("crowdsec_k8s_audit_tests.jsonl")]
    [InlineData("falco_k8s_audit_traces.jsonl")]
    [InlineData("falco_secret_create_with_data.jsonl")]
    public void Real_logs_take_the_fast_path_and_decode_as_streaming_does(string file)
    {
        var body = File.ReadAllBytes(Path.Combine("fixtures", "audit", file));

        Assert.True(WholeBodyDecoder.TryDecode(body, "body", 1, new DecoderOptions().MaxItemBytes, []));
        AssertSameAsStreaming(body);
    }

    [Fact]
    public void An_EventList_and_an_array_take_the_fast_path_with_item_positions()
    {
        var list = Encoding.UTF8.GetBytes(SampleEvents.EventList(SampleEvents.Item("a"), SampleEvents.Item("b")));
        var array = Encoding.UTF8.GetBytes("[\n" + SampleEvents.Get("a") + ",\n" + SampleEvents.Get("b") + "\n]");

        Assert.True(WholeBodyDecoder.TryDecode(list, "body", 1, 1 << 20, []));
        Assert.True(WholeBodyDecoder.TryDecode(array, "body", 1, 1 << 20, []));
        AssertSameAsStreaming(list);
        AssertSameAsStreaming(array);
    }

    public static TheoryData<string> Malformed => new()
    {
        // cut-off line, then a good one
        SampleEvents.Get("a")[..200] + "\n" + SampleEvents.Get("b") + "\n",
        // not JSON, not an object, scalar items
        "hello\n" + SampleEvents.Get("a") + "\n",
        SampleEvents.EventList(SampleEvents.Item("a"), "17", SampleEvents.Item("b")),
        // an item with a wrong type and one missing a field, between good ones (handled in place)
        SampleEvents.EventList(SampleEvents.Item("a"), "{\"verb\":1}", SampleEvents.Item("b")),
        SampleEvents.EventList(SampleEvents.Item("a"), SampleEvents.Item("b").Replace("\"stage\":\"ResponseComplete\",", string.Empty, StringComparison.Ordinal), SampleEvents.Item("c")),
        // not an audit Event
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}\n" + SampleEvents.Get("a") + "\n",
        // an EventList without items, an unknown object
        "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{}}",
        "{\"foo\":1}\n" + SampleEvents.Get("a"),
        // pretty-printed Events, concatenated
        SampleEvents.Get("a").Replace(",\"", ",\n  \"", StringComparison.Ordinal) + "\n" + SampleEvents.Get("b"),
        // envelopes, recognised by any of their keys as the streaming path does (GKE entries may start with timestamp)
        "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"protoPayload\":{\"methodName\":\"io.k8s.core.v1.secrets.get\"}}\n" + SampleEvents.Get("a") + "\n",
        "{\"records\":[{\"properties\":{\"log\":" + JsonSerializer.Serialize(SampleEvents.Get("a")) + "}}]}",
        // trailing garbage and unbalanced brackets
        SampleEvents.Get("a") + "\n}}]\n" + SampleEvents.Get("b") + "\n",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_bodies_give_the_framers_results(string body)
    {
        AssertSameAsStreaming(Encoding.UTF8.GetBytes(body));
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decoding_into_a_list_keeps_what_it_held_and_appends_the_same_results(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var held = new AuditStreamDecoder().Decode(Encoding.UTF8.GetBytes(SampleEvents.Get("held")), "earlier");
        var results = held.ToList();

        new AuditStreamDecoder().DecodeInto(bytes, "body", results);

        Assert.Equal(Canonical([.. held, .. new AuditStreamDecoder().Decode(bytes, "body")]), Canonical(results));
    }

    [Fact]
    public void Invalid_utf8_inside_an_EventList_item_is_that_items_error_only()
    {
        var body = Encoding.UTF8.GetBytes(SampleEvents.EventList(SampleEvents.Item("a"), SampleEvents.Item("b").Replace("alice", "alicX", StringComparison.Ordinal), SampleEvents.Item("c")));
        body[Array.IndexOf(body, (byte)'X')] = 0xFF;

        AssertSameAsStreaming(body);
        Assert.Equal(["a", "c"], new AuditStreamDecoder().Decode(body, "body").AuditIds());
    }

    [Fact]
    public void An_item_over_the_size_limit_is_rejected_on_the_fast_path_too()
    {
        var big = SampleEvents.Item("big").Replace("\"userAgent\":\"", "\"userAgent\":\"" + new string('x', 5_000), StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(SampleEvents.EventList(SampleEvents.Item("a"), big, SampleEvents.Item("c")));
        var options = new DecoderOptions { MaxItemBytes = 2_000 };

        var inMemory = new AuditStreamDecoder(options).Decode(body, "body");
        var streamed = new AuditStreamDecoder(options).DecodeAsync(new MemoryStream(body), "body").ToBlockingEnumerable().ToList();

        Assert.Equal(Canonical(streamed), Canonical(inMemory));
        Assert.Equal(DecodeErrorKind.TooLarge, Assert.Single(inMemory.Errors()).Kind);
    }
}
