using System.Text;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

/// <summary>
/// The decoder shares what events repeat (strings, user objects, addresses, objectRefs) through bounded caches keyed by
/// bytes: sharing must never change what an event says, whatever collides, escapes or arrives at the same time.
/// </summary>
[Collection(ProcessWideCaches.Name)]
public sealed class SharedValueTests
{
    [Fact]
    public void Colliding_keys_never_return_each_others_value()
    {
        var cache = new Utf8ValueCache<string>(slots: 1, maxKeyBytes: 64);

        for (var i = 0; i < 100; i++)
        {
            var key = i % 2 == 0 ? "alice"u8 : "bob"u8;
            Assert.Equal(i % 2 == 0 ? "alice" : "bob", cache.Get(key, DecodedValues.DecodeString));
        }
    }

    [Fact]
    public void Threads_sharing_a_cache_each_get_their_own_value()
    {
        var cache = new Utf8ValueCache<string>(slots: 4, maxKeyBytes: 64);
        var keys = Enumerable.Range(0, 50).Select(i => Encoding.UTF8.GetBytes($"user-{i}@example.com")).ToArray();
        var wrong = 0;

        Parallel.For(0, 200_000, i =>
        {
            var key = keys[i % keys.Length];
            if (cache.Get(key, DecodedValues.DecodeString) != Encoding.UTF8.GetString(key))
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void An_escaped_username_is_unescaped_and_a_repeated_user_object_is_shared()
    {
        var escaped = SampleEvents.Get("a", user: "al\\u0069ce@example.com");
        var results = Decode.Text($"{escaped}\n{SampleEvents.Get("b")}\n{SampleEvents.Get("c")}\n");

        Assert.All(results, r => Assert.Equal("alice@example.com", r.Event!.Value.User.Username));
        Assert.Same(results[1].Event!.Value.User, results[2].Event!.Value.User);
        Assert.Same(results[1].Event!.Value.SourceIps, results[2].Event!.Value.SourceIps);
    }

    [Fact]
    public void Invalid_utf8_in_a_shared_field_is_an_error_for_that_item_even_after_the_value_was_cached()
    {
        var good = Encoding.UTF8.GetBytes(SampleEvents.Get("a", user: "mallory@example.com") + "\n");
        var bad = Encoding.UTF8.GetBytes(SampleEvents.Get("b", user: "mallory@example.coX") + "\n");
        bad[Array.IndexOf(bad, (byte)'X')] = 0xFF;

        var results = Decode.Bytes([.. good, .. bad, .. good]);

        Assert.Equal(["a", "a"], results.AuditIds());
        Assert.Equal(DecodeErrorKind.InvalidJson, Assert.Single(results.Errors()).Kind);
    }

    [Fact]
    public void Users_that_differ_in_one_group_stay_different()
    {
        var first = SampleEvents.Get("a");
        var second = SampleEvents.Get("b").Replace("\"groups\":[\"system:authenticated\"]", "\"groups\":[\"system:masters\",\"system:authenticated\"]", StringComparison.Ordinal);

        var results = Decode.Text($"{first}\n{second}\n{first}\n");

        Assert.Equal(["system:authenticated"], results[0].Event!.Value.User.Groups);
        Assert.Equal(["system:masters", "system:authenticated"], results[1].Event!.Value.User.Groups);
        Assert.Equal(["system:authenticated"], results[2].Event!.Value.User.Groups);
    }
}
