using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Files;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.Ingestion.Tests.Files;

/// <summary>
/// How the tailer hands a file's lines to detection: in batches small enough to stay off the large-object heap, all of
/// a chunk or none of it, and the read position saved only once detection took every line before it.
/// </summary>
public sealed class AuditLogTailerTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-tailer-").FullName;
    private readonly FilePositionStore _positions;
    private readonly IngestCounters _counters = new();

    public AuditLogTailerTests() => _positions = new FilePositionStore(Path.Combine(_directory, "data"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Log => Path.Combine(_directory, "audit.log");

    /// <summary>About 250 bytes: a whole test file fits in one 1 MB chunk.</summary>
    private static string Small(int i) =>
        $$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"id-{{i}}","stage":"ResponseComplete","requestURI":"/api","verb":"get","user":{"username":"u"},"requestReceivedTimestamp":"2026-11-02T10:00:01.123456Z","stageTimestamp":"2026-11-02T10:00:01.125456Z"}""";

    private AuditLogTailer Tailer(IngestQueue queue) =>
        new(Log, _positions, new AuditStreamDecoder(), queue, _counters, TimeProvider.System, NullLogger.Instance);

    private static async Task<EventBatch> NextAsync(IngestQueue queue) => await queue.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    [Theory]
    [InlineData(1_024, new[] { 1_024 })]
    [InlineData(1_025, new[] { 1_024, 1 })]
    [InlineData(2_049, new[] { 1_024, 1_024, 1 })]
    public async Task A_chunk_goes_as_batches_of_at_most_1024_events_and_only_the_last_saves_the_position(int events, int[] sizes)
    {
        // A bad line in the middle is rejected and counted; the good lines around it all arrive.
        var lines = Enumerable.Range(0, events).Select(Small).ToList();
        lines.Insert(events / 2, "{\"kind\":\"Event\",");
        await File.WriteAllLinesAsync(Log, lines);
        Assert.True(new FileInfo(Log).Length < 1024 * 1024, "the test file must be one chunk");
        var queue = new IngestQueue(1_000_000);
        using var stop = new CancellationTokenSource();
        var run = Tailer(queue).RunAsync(Poll, stop.Token);

        var batches = new List<EventBatch>();
        while (batches.Sum(b => b.Events.Count) < events)
        {
            batches.Add(await NextAsync(queue));
        }

        Assert.Equal(sizes, batches.Select(b => b.Events.Count));
        Assert.Equal(Enumerable.Range(0, events).Select(i => $"id-{i}"), batches.SelectMany(b => b.Events).Select(e => e.AuditId.ToString()));
        Assert.All(batches[..^1], b => Assert.Null(b.Processed));
        Assert.Null(_positions.Get(Log));

        batches[^1].Processed!();

        Assert.Equal(new FileInfo(Log).Length, _positions.Get(Log)!.Offset);
        await stop.CancelAsync();
        await run.WaitAsync(Patience);
        Assert.Equal(events, _counters.Decoded[AuditLogTailer.SourceName]);
        Assert.Equal(1, _counters.Rejected.Values.Sum());
    }

    [Fact]
    public async Task A_stop_while_the_full_queue_holds_a_chunk_back_hands_over_none_of_it_and_saves_nothing()
    {
        await File.WriteAllLinesAsync(Log, Enumerable.Range(0, 1_500).Select(Small));
        var queue = new IngestQueue(10);
        Assert.True(queue.TryEnqueue(new EventBatch(new AuditEvent[10], "webhook")));
        using var stop = new CancellationTokenSource();
        var run = Tailer(queue).RunAsync(Poll, stop.Token);

        while (!_counters.RefusedBatches.ContainsKey(AuditLogTailer.SourceName))
        {
            await Task.Delay(10).WaitAsync(Patience);
        }

        await stop.CancelAsync();
        await run.WaitAsync(Patience);

        Assert.Equal(10, queue.Depth);
        Assert.Null(_positions.Get(Log));
        Assert.False(_counters.Decoded.ContainsKey(AuditLogTailer.SourceName));
    }

    [Fact]
    public async Task A_chunk_of_only_bad_lines_saves_its_position_after_the_chunks_before_it_were_taken()
    {
        await File.WriteAllLinesAsync(Log, Enumerable.Range(0, 3).Select(Small));
        var firstChunkEnd = new FileInfo(Log).Length;
        var queue = new IngestQueue(1_000);
        using var stop = new CancellationTokenSource();
        var run = Tailer(queue).RunAsync(Poll, stop.Token);
        var first = await NextAsync(queue);

        await File.AppendAllLinesAsync(Log, ["{\"kind\":\"Event\","]);
        var second = await NextAsync(queue);

        Assert.Empty(second.Events);
        Assert.Null(_positions.Get(Log));
        first.Processed!();
        Assert.Equal(firstChunkEnd, _positions.Get(Log)!.Offset);
        second.Processed!();
        Assert.Equal(new FileInfo(Log).Length, _positions.Get(Log)!.Offset);
        await stop.CancelAsync();
        await run.WaitAsync(Patience);
    }
}
