using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Normalized Secret reads for a given number of identities, in event-time order: people reading a few Secrets of
/// their namespace, one request every 10 ms of event time, with every 50th identity reading a burst of distinct
/// Secrets (so rules open, escalate and resolve incidents). Shaped as the decoder hands them on: audit IDs are UUIDs
/// as the apiserver writes them, and namespaces, addresses, user agent and objectRefs are shared instances (the
/// decoder's caches share what repeats byte for byte).
/// </summary>
internal static class SyntheticRequests
{
    public const int Count = 200_000;

    private static readonly string[] Namespaces = [.. Enumerable.Range(0, 20).Select(i => $"ns-{i}")];
    private static readonly IReadOnlyList<string> SourceIps = ["10.0.0.1"];
    private static readonly Dictionary<(string Namespace, string Name), ObjectReference> ObjectRefs = [];

    public static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Each identity reads <paramref name="reads"/> distinct Secrets of its namespace, identities interleaved, <paramref name="every"/> apart.</summary>
    public static IEnumerable<ApiRequest> DistinctReads(int identities, int reads, TimeSpan every)
    {
        var users = Enumerable.Range(0, identities).Select(i => UserInfo.Named($"user-{i}@example.com")).ToArray();
        var i = 0;
        for (var read = 0; read < reads; read++)
        {
            foreach (var user in users)
            {
                yield return Read(user, Namespaces[i % 20], $"s-{read}", i, Start + (i * every));
                i++;
            }
        }
    }

    private static ApiRequest Read(UserInfo user, string ns, string name, int id, DateTimeOffset time) =>
        RequestNormalizer.Normalize(ReadEvent(user, ns, name, id, time));

    /// <summary>The audit event of one such read, as the decoder hands it on.</summary>
    public static AuditEvent ReadEvent(UserInfo user, string ns, string name, int id, DateTimeOffset time) => new()
    {
        AuditId = Uuid(id),
        Stage = AuditStage.ResponseComplete,
        Verb = "get",
        RequestUri = $"/api/v1/namespaces/{ns}/secrets/{name}",
        User = user,
        SourceIps = SourceIps,
        UserAgent = "kubectl/v1.31.0 (linux/amd64) kubernetes/abc",
        ObjectRef = SharedObjectRef(ns, name),
        ResponseCode = 200,
        StageTimestamp = time,
    };

    private static ObjectReference SharedObjectRef(string ns, string name)
    {
        if (!ObjectRefs.TryGetValue((ns, name), out var objectRef))
        {
            objectRef = new ObjectReference("secrets", ns, name, null, "v1", null);
            ObjectRefs[(ns, name)] = objectRef;
        }

        return objectRef;
    }

    /// <summary>A distinct audit ID of the apiserver's form (a UUID) for each number.</summary>
    public static AuditId Uuid(int id, short copy = 0) => AuditId.Parse(new Guid(id, copy, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 0).ToString());

    /// <summary><paramref name="count"/> reads by identities drawn at random, <paramref name="every"/> apart (10 ms unless given).</summary>
    public static IEnumerable<ApiRequest> SecretReads(int identities, int count = Count, TimeSpan? every = null)
    {
        var spacing = every ?? TimeSpan.FromMilliseconds(10);
        var random = new Random(42);
        var users = Enumerable.Range(0, identities).Select(i => UserInfo.Named($"user-{i}@example.com")).ToArray();
        for (var i = 0; i < count; i++)
        {
            var who = random.Next(identities);
            var burst = who % 50 == 0;
            var ns = Namespaces[who % 20];
            var name = burst ? $"s-{random.Next(40)}" : $"s-{random.Next(3)}";
            yield return Read(users[who], ns, name, i, Start + (i * spacing));
        }
    }
}
