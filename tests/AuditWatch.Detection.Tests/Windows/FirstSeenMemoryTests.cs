using AuditWatch.Detection.Windows;

namespace AuditWatch.Detection.Tests.Windows;

/// <summary>Tuples are kept as fingerprints of their text; the file keeps the text, and reading it back must agree.</summary>
public sealed class FirstSeenMemoryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Learn = TimeSpan.FromDays(1);

    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-first-seen-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_tuple_is_new_once_and_known_after_that_whichever_values_it_holds()
    {
        var memory = new FirstSeenMemory(Learn, capacity: 10, path: null);
        memory.Observe(["bootstrap", "10.0.0.1"], T0, out _);

        Assert.True(memory.Observe(["bot", "10.0.0.1", null], T0.AddDays(2), out var remembered));
        Assert.True(remembered);
        Assert.False(memory.Observe(["bot", "10.0.0.1", null], T0.AddDays(2), out _));
        Assert.True(memory.Observe(["bot", "10.0.0.1", "kubectl"], T0.AddDays(2), out _));
        Assert.True(memory.Observe(["bot", "10.0.0.2", null], T0.AddDays(2), out _));
        Assert.Equal(4, memory.Count);
    }

    [Fact]
    public void Tuples_read_back_from_the_file_are_known_missing_values_included()
    {
        var path = Path.Combine(_directory, "rule.jsonl");
        var before = new FirstSeenMemory(Learn, capacity: 10, path);
        before.Observe(["bot", null, "kubectl"], T0, out _);
        before.Observe(["ops", "10.0.0.1", "helm"], T0.AddHours(1), out _);

        var after = new FirstSeenMemory(Learn, capacity: 10, path);

        Assert.Equal(2, after.Count);
        Assert.False(after.Observe(["bot", null, "kubectl"], T0.AddDays(2), out _));
        Assert.False(after.Observe(["ops", "10.0.0.1", "helm"], T0.AddDays(2), out _));
        Assert.True(after.Observe(["ops", "10.0.0.1", "kubectl"], T0.AddDays(2), out _));
        // The file keeps the text, for people to read, not the fingerprints.
        Assert.Contains("\"ops\\u001F10.0.0.1\\u001Fkubectl\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_the_file_escapes_single_values_and_empty_ones_read_back_as_the_same_tuples()
    {
        var path = Path.Combine(_directory, "rule.jsonl");
        var before = new FirstSeenMemory(Learn, capacity: 10, path);
        before.Observe(["é\"\\\n☃", ""], T0, out _);
        before.Observe(["alone"], T0, out _);
        before.Observe([null], T0, out _);

        var after = new FirstSeenMemory(Learn, capacity: 10, path);

        Assert.False(after.Observe(["é\"\\\n☃", ""], T0.AddDays(2), out _));
        Assert.False(after.Observe(["é\"\\\n☃", null], T0.AddDays(2), out _));
        Assert.False(after.Observe(["alone"], T0.AddDays(2), out _));

        // A missing value is taken as empty, in memory as in the file.
        Assert.False(after.Observe([""], T0.AddDays(2), out _));
        Assert.True(after.Observe(["é\"\\\n☃"], T0.AddDays(2), out _));
        Assert.Equal(4, after.Count);
    }

    [Fact]
    public void A_full_memory_says_it_did_not_remember_the_new_tuple()
    {
        var memory = new FirstSeenMemory(Learn, capacity: 1, path: null);
        memory.Observe(["a"], T0, out var first);

        Assert.True(memory.Observe(["b"], T0.AddDays(2), out var second));
        Assert.True(first);
        Assert.False(second);
        Assert.True(memory.Observe(["b"], T0.AddDays(2), out _));
    }

    [Fact]
    public void A_file_that_learned_another_key_is_set_aside_and_learning_starts_again()
    {
        var path = Path.Combine(_directory, "rule.jsonl");
        var before = new FirstSeenMemory(Learn, capacity: 10, path, key: "user,source_ip");
        before.Observe(["bot", "10.0.0.1"], T0, out _);

        var sameKey = new FirstSeenMemory(Learn, capacity: 10, path, key: "user,source_ip");

        // The same key reads the file back, learning period included: past it, a new tuple is new.
        Assert.Equal(1, sameKey.Count);
        Assert.True(sameKey.Observe(["bot", "10.0.0.2"], T0.AddDays(2), out _));

        // Another key learns from its first request on, as a rule that never ran would.
        var otherKey = new FirstSeenMemory(Learn, capacity: 10, path, key: "user,namespace");
        Assert.Equal(0, otherKey.Count);
        Assert.False(otherKey.Observe(["bot", "ci"], T0.AddDays(2), out _));
        Assert.False(otherKey.Observe(["bot", "prod"], T0.AddDays(2).AddHours(1), out _));
        Assert.True(otherKey.Observe(["bot", "kube-system"], T0.AddDays(3).AddHours(1), out _));
        Assert.Contains("\"bot\\u001F10.0.0.1\"", File.ReadAllText(path + ".previous"), StringComparison.Ordinal);
        Assert.StartsWith("{\"learningStarted\":", File.ReadLines(path).First(), StringComparison.Ordinal);
        Assert.Contains("\"key\":\"user,namespace\"", File.ReadLines(path).First(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_names_no_key_is_read_whatever_the_key()
    {
        // Written before the key was recorded with the start of learning.
        var path = Path.Combine(_directory, "rule.jsonl");
        File.WriteAllLines(path, ["{\"learningStarted\":\"2026-12-01T00:00:00.0000000+00:00\"}", "\"bot\\u001F10.0.0.1\""]);

        var memory = new FirstSeenMemory(Learn, capacity: 10, path, key: "user,source_ip");

        Assert.False(memory.Observe(["bot", "10.0.0.1"], T0.AddDays(2), out _));
        Assert.True(memory.Observe(["bot", "10.0.0.2"], T0.AddDays(2), out _));
        Assert.False(File.Exists(path + ".previous"));
    }

    [Fact]
    public async Task Lanes_on_their_own_threads_learn_each_tuple_once()
    {
        const int Tuples = 100_000;
        var memory = new FirstSeenMemory(TimeSpan.Zero, capacity: Tuples, path: null);
        var values = Enumerable.Range(0, Tuples).Select(i => $"user-{i}").ToArray();
        var newAnswers = 0;
        using var start = new Barrier(2);

        // Two lanes (a service shares one memory between them) see the same tuples in the same order at the same time:
        // each tuple must be new exactly once in all.
        var lanes = Enumerable.Range(0, 2).Select(lane => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            foreach (var value in values)
            {
                if (memory.Observe([value, "10.0.0.1"], T0, out _))
                {
                    Interlocked.Increment(ref newAnswers);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(lanes);

        Assert.Equal(Tuples, newAnswers);
        Assert.Equal(Tuples, memory.Count);
    }
}
