using System.Runtime.CompilerServices;
using System.Text.Json;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Ingestion.Tests.Decoding;

/// <summary>
/// Events that agree on who, what, from where and how it ended share one <see cref="RequestDescription"/>; sharing
/// must never make an event say what another one said.
/// </summary>
[Collection(ProcessWideCaches.Name)]
public sealed class SharedDescriptionTests
{
    private static readonly RequestDescriptionParts Base = new(
        Verb: "get",
        User: UserInfo.Named("alice"),
        Stage: AuditStage.ResponseComplete,
        Level: "Metadata",
        RequestUri: "/api/v1/namespaces/a/secrets/s",
        ImpersonatedUser: null,
        SourceIps: ["10.0.0.1"],
        UserAgent: "kubectl",
        ObjectRef: new ObjectReference("secrets", "a", "s", null, "v1", null),
        ResponseCode: 200,
        AuthorizationDecision: "allow",
        SecretPayload: SecretPayload.None,
        RequestFacts: ObjectFacts.Empty);

    public static TheoryData<string> Parts() =>
    [
        "Verb", "User", "Stage", "Level", "RequestUri", "ImpersonatedUser", "SourceIps", "UserAgent", "ObjectRef",
        "ResponseCode", "AuthorizationDecision", "SecretPayload", "RequestFacts",
    ];

    [Theory]
    [MemberData(nameof(Parts))]
    public void Descriptions_that_differ_in_one_part_are_never_taken_for_each_other(string part)
    {
        var other = Differing(part);
        var cache = new RequestDescriptionCache(slots: 1);

        for (var i = 0; i < 4; i++)
        {
            var parts = i % 2 == 0 ? Base : other;
            Assert.Equal(parts.ToDescription(), cache.Get(parts));
        }
    }

    [Fact]
    public void A_description_that_would_keep_much_text_alive_is_made_each_time_and_never_kept()
    {
        var cache = new RequestDescriptionCache(slots: 1);
        var huge = Base with { RequestUri = "/api/v1/namespaces/a/secrets/" + new string('s', RequestDescriptionCache.MaxCachedChars) };

        Assert.Same(cache.Get(Base), cache.Get(Base));
        Assert.NotSame(cache.Get(huge), cache.Get(huge));
        Assert.Equal(huge.RequestUri, cache.Get(huge).RequestUri);
    }

    [Fact]
    public void Every_event_of_a_recorded_log_says_what_its_own_line_says_and_repeated_requests_share_a_description()
    {
        var lines = File.ReadAllLines(Path.Combine("fixtures", "audit", "perfspec_helm_audit.jsonl"));

        var events = new AuditStreamDecoder().Decode(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), "capture")
            .Select(r => r.Event ?? throw new InvalidOperationException(r.Error!.ToString())).ToList();

        Assert.Equal(lines.Length, events.Count);
        for (var i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var json = line.RootElement;
            var e = events[i];
            Assert.Equal(json.GetProperty("auditID").GetString(), e.AuditId.ToString());
            Assert.Equal(json.GetProperty("verb").GetString(), e.Verb);
            Assert.Equal(json.GetProperty("stage").GetString(), e.Stage.ToString());
            Assert.Equal(json.GetProperty("requestURI").GetString(), e.RequestUri);
            Assert.Equal(Text(json.GetProperty("user"), "username") ?? string.Empty, e.User.Username);
            Assert.Equal(Text(json, "userAgent"), e.UserAgent);
            Assert.Equal(json.TryGetProperty("sourceIPs", out var ips) ? ips.EnumerateArray().Select(ip => ip.GetString()!) : [], e.SourceIps);
            Assert.Equal(json.TryGetProperty("responseStatus", out var status) && status.TryGetProperty("code", out var code) ? code.GetInt32() : null, e.ResponseCode);
            Assert.Equal(json.TryGetProperty("objectRef", out var objectRef) ? Text(objectRef, "name") : null, e.ObjectRef?.Name);
            Assert.Equal(json.TryGetProperty("objectRef", out objectRef) ? Text(objectRef, "namespace") : null, e.ObjectRef?.Namespace);
            Assert.Equal(json.GetProperty("stageTimestamp").GetDateTimeOffset(), e.StageTimestamp);
        }

        var descriptions = events.Select(e => e.Description).Distinct(ReferenceEqualityComparer.Instance).Count();
        Assert.InRange(descriptions, 1, events.Count / 2);
    }

    [Fact]
    public void An_event_built_field_by_field_keeps_every_value_whatever_the_order()
    {
        var received = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(2));
        var written = received.AddMilliseconds(3);

        var replayedFirst = new AuditEvent { Replayed = true, AuditId = "x", Stage = AuditStage.ResponseComplete, Verb = "get", User = UserInfo.Named("bob"), StageTimestamp = written };
        var replayedLast = new AuditEvent { AuditId = "x", Stage = AuditStage.ResponseComplete, Verb = "get", User = UserInfo.Named("bob"), StageTimestamp = written, Replayed = true, RequestReceivedTimestamp = received };

        Assert.True(replayedFirst.Replayed);
        Assert.True(replayedLast.Replayed);
        Assert.Equal(written, replayedFirst.StageTimestamp);
        Assert.Equal(written, replayedLast.StageTimestamp);
        Assert.Null(replayedFirst.RequestReceivedTimestamp);
        Assert.Equal(written, replayedFirst.RequestTime);
        Assert.Equal(received, replayedLast.RequestTime);
        Assert.False((replayedLast with { Replayed = false }).Replayed);
        Assert.Equal(written, (replayedLast with { Replayed = false }).StageTimestamp);
        Assert.Equal("bob", replayedLast.User.Username);
    }

    [Fact]
    public void An_event_is_a_48_byte_value_and_making_one_allocates_nothing()
    {
        // Events travel from the decoder through the ingest queue to detection in lists, at the full rate: their size
        // is the decoder's allocation target (benchmarks/README.md), so a new field here is a decision, not an accident.
        var description = Base.ToDescription();
        var time = DateTimeOffset.UnixEpoch.AddYears(56);
        var events = new AuditEvent[1_000];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = new AuditEvent(description, default, time, time);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(48, Unsafe.SizeOf<AuditEvent>());
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static RequestDescriptionParts Differing(string part) => part switch
    {
        "Verb" => Base with { Verb = "list" },
        "User" => Base with { User = UserInfo.Named("mallory") },
        "Stage" => Base with { Stage = AuditStage.RequestReceived },
        "Level" => Base with { Level = "Request" },
        "RequestUri" => Base with { RequestUri = "/api/v1/namespaces/a/secrets/t" },
        "ImpersonatedUser" => Base with { ImpersonatedUser = UserInfo.Named("admin") },
        "SourceIps" => Base with { SourceIps = ["10.0.0.2"] },
        "UserAgent" => Base with { UserAgent = "curl" },
        "ObjectRef" => Base with { ObjectRef = new ObjectReference("secrets", "a", "t", null, "v1", null) },
        "ResponseCode" => Base with { ResponseCode = 403 },
        "AuthorizationDecision" => Base with { AuthorizationDecision = "forbid" },
        "SecretPayload" => Base with { SecretPayload = SecretPayload.ResponseObject },
        "RequestFacts" => Base with { RequestFacts = new ObjectFacts(["s"], null, null, [], false) },
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, null),
    };
}
