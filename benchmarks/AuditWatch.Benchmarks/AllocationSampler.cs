using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace AuditWatch.Benchmarks;

/// <summary>
/// What a <c>loop</c> run allocates, by type: the runtime's own allocation sample (one event per about 100 KB
/// allocated, naming the type of the object that crossed the mark), counted while the loop runs:
/// <c>AuditWatch.Benchmarks allocations DetectionBenchmarks DefaultPack Identities=100000 10</c>. A sample stands for
/// about 100 KB, so the shares are right for the types that allocate much, and noise for the rest. A benchmark's
/// iteration set-up (<see cref="SteadyDetectionBenchmarks"/>) runs between the timed runs, and what it allocates is
/// counted too.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    public static int Run(string[] args)
    {
        using var sampler = new AllocationSampler();
        // Counted from the timed runs on: the set-up's requests and the warm-up are not what a run allocates.
        var exit = ProfileLoop.Run(["loop", .. args[1..]], timing: sampler._bytesByType.Clear);
        var total = sampler._bytesByType.Values.Sum();
        foreach (var (type, bytes) in sampler._bytesByType.OrderByDescending(p => p.Value).Take(25))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / total,5:0.0} %  {type}"));
        }

        return exit;
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (data.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || data.PayloadNames is null)
        {
            return;
        }

        var type = data.Payload![data.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(data.Payload[data.PayloadNames.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
