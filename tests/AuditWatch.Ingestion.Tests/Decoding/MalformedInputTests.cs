using System.Text;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

public sealed class MalformedInputTests
{
    [Fact]
    public void A_line_that_is_not_json_is_reported_with_its_line_and_the_rest_is_decoded()
    {
        var results = Decode.Text($"{SampleEvents.Get("a")}\nthis is not json\n{SampleEvents.Get("b")}\n");

        Assert.Equal(["a", "b"], results.AuditIds());
        var error = Assert.Single(results.Errors());
        Assert.Equal(2, error.Position.Line);
        Assert.Equal(DecodeErrorKind.NotAnObject, error.Kind);
        Assert.StartsWith("input.jsonl:2:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cut_off_line_costs_only_itself()
    {
        var cut = SampleEvents.Get("cut")[..200];

        var results = Decode.Text($"{SampleEvents.Get("a")}\n{cut}\n{SampleEvents.Get("b")}\n");

        Assert.Equal(["a", "b"], results.AuditIds());
        var error = Assert.Single(results.Errors());
        Assert.Equal(2, error.Position.Line);
        Assert.Equal(DecodeErrorKind.Truncated, error.Kind);
    }

    [Fact]
    public void A_cut_off_last_line_is_reported_at_end_of_input()
    {
        var results = Decode.Text($"{SampleEvents.Get("a")}\n{SampleEvents.Get("b")[..300]}");

        Assert.Equal(["a"], results.AuditIds());
        Assert.Equal(DecodeErrorKind.Truncated, Assert.Single(results.Errors()).Kind);
    }

    [Fact]
    public void Invalid_json_inside_balanced_braces_is_one_error()
    {
        var results = Decode.Text($"{{\"auditID\": nope}}\n{SampleEvents.Get("b")}\n");

        Assert.Equal(["b"], results.AuditIds());
        Assert.Equal(DecodeErrorKind.InvalidJson, Assert.Single(results.Errors()).Kind);
    }

    [Fact]
    public void Json_that_is_not_an_event_says_what_is_missing()
    {
        var results = Decode.Text("""
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"}}
            {"auditID":"x","stage":"ResponseComplete","user":{"username":"a"},"stageTimestamp":"2026-11-02T10:00:00Z"}
            """);

        var errors = results.Errors();
        Assert.Equal(2, errors.Count);
        Assert.Contains("kind is 'Pod'", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("'verb' is missing", errors[1].Reason, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.Equal(DecodeErrorKind.NotAnEvent, e.Kind));
    }

    [Fact]
    public void Wrong_field_types_name_the_field()
    {
        var results = Decode.Text(SampleEvents.Get("a").Replace("\"verb\":\"get\"", "\"verb\":42", StringComparison.Ordinal)
            + "\n" + SampleEvents.Get("b").Replace("\"code\":200", "\"code\":\"OK\"", StringComparison.Ordinal));

        var errors = results.Errors();
        Assert.Equal("'verb' must be a string, found Number", errors[0].Reason);
        Assert.Equal("'responseStatus.code' must be an integer, found String", errors[1].Reason);
        Assert.All(errors, e => Assert.Equal(DecodeErrorKind.WrongType, e.Kind));
    }

    [Fact]
    public void A_bad_item_in_an_event_list_is_reported_by_index_and_the_others_are_kept()
    {
        var results = Decode.Text(SampleEvents.EventList(SampleEvents.Item("a"), "{\"verb\":1}", "17", SampleEvents.Item("d")));

        Assert.Equal(["a", "d"], results.AuditIds());
        Assert.Equal([1L, 2L], results.Errors().Select(e => e.Position.Item));
        Assert.Equal("input.jsonl:1 items[1]", results.Errors()[0].Position.ToString());
    }

    [Fact]
    public void Invalid_utf8_is_an_error_for_that_item_only()
    {
        var good = Encoding.UTF8.GetBytes(SampleEvents.Get("a") + "\n");
        var bad = Encoding.UTF8.GetBytes(SampleEvents.Get("b") + "\n");
        var at = Array.IndexOf(bad, (byte)'d', 60);
        bad[at] = 0xC3;
        bad[at + 1] = 0x28;

        var results = Decode.Bytes([.. good, .. bad, .. good]);

        Assert.Equal(["a", "a"], results.AuditIds());
        Assert.Equal(DecodeErrorKind.InvalidJson, Assert.Single(results.Errors()).Kind);
    }

    [Fact]
    public void An_item_over_the_size_limit_is_rejected_without_being_held()
    {
        var huge = SampleEvents.Get("big").Replace("\"userAgent\":\"", "\"userAgent\":\"" + new string('x', 100_000), StringComparison.Ordinal);

        var results = Decode.Text($"{huge}\n{SampleEvents.Get("b")}\n", new DecoderOptions { MaxItemBytes = 10_000, ReadBufferBytes = 4096 });

        Assert.Equal(["b"], results.AuditIds());
        var error = Assert.Single(results.Errors());
        Assert.Equal(DecodeErrorKind.TooLarge, error.Kind);
        Assert.Equal(1, error.Position.Line);
    }

    [Fact]
    public void Deep_nesting_does_not_crash_and_later_items_survive()
    {
        var deep = "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}";

        var results = Decode.Text($"{deep}\n{SampleEvents.Get("b")}\n", new DecoderOptions { MaxItemBytes = 1_000_000 });

        Assert.Equal(["b"], results.AuditIds());
        Assert.Equal(DecodeErrorKind.InvalidJson, Assert.Single(results.Errors()).Kind);
    }

    [Fact]
    public void Unbalanced_garbage_does_not_hang()
    {
        var results = Decode.Text(new string('{', 50_000) + "\n" + new string('}', 10) + "\n\"\\\n" + SampleEvents.Get("z") + "\n");

        Assert.NotEmpty(results.Errors());
        Assert.Equal(["z"], results.AuditIds());
    }

    [Fact]
    public void Error_messages_never_quote_long_input_values()
    {
        var secretLooking = "kind-" + new string('s', 500);
        var results = Decode.Text($"{{\"kind\":\"{secretLooking}\"}}\n");

        var reason = Assert.Single(results.Errors()).Reason;
        Assert.True(reason.Length < 120, reason);
    }
}
