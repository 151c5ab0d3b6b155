using AuditWatch.Core.Events;
using AuditWatch.Detection.Ordering;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Event-time ordering at a fleet's rate: 2,000,000 requests at 160,000 per second of event time, as three apiservers
/// send them (each in order, their batches of 400 interleaved, one running two seconds behind), through the ordering
/// buffer with the default 60 s of lateness and its 1,000,000-request cap: every request is buffered, most are
/// released early. <see cref="AddAndRelease"/>: a new buffer per run, so half of each run fills it;
/// <see cref="AtTheCap"/>: one buffer that stays full, as a busy service's does, each run the same arrivals 12.5 s of
/// event time after the last run's.
/// </summary>
[MemoryDiagnoser]
public class OrderingBenchmarks
{
    private const int Count = 2_000_000;
    private AuditEvent[] _arrivals = [];
    private EventTimeOrderer _full = new(new EventTimeOptions());
    private TimeSpan _shift;

    [GlobalSetup]
    public void Setup()
    {
        var template = SyntheticRequests.ReadEvent(UserInfo.Named("user-0@example.com"), "ns-0", "s-0", 0, SyntheticRequests.Start);
        var servers = Enumerable.Range(0, 3).Select(server => Enumerable.Range(0, Count / 3)
            .Select(i => template with { AuditId = SyntheticRequests.Uuid(i, (short)server), StageTimestamp = SyntheticRequests.Start.AddTicks((long)(i * 3 * TimeSpan.TicksPerSecond / 160_000.0)).AddSeconds(server == 2 ? -2 : 0) })
            .Chunk(400).ToList()).ToList();
        _arrivals = [.. Enumerable.Range(0, servers.Max(s => s.Count)).SelectMany(batch => servers.Where(s => batch < s.Count).SelectMany(s => s[batch]))];
        _full = new EventTimeOrderer(new EventTimeOptions());
        _shift = TimeSpan.Zero;
        AtTheCap();
    }

    [Benchmark]
    public long AddAndRelease()
    {
        var orderer = new EventTimeOrderer(new EventTimeOptions());
        long released = 0;
        foreach (var request in _arrivals)
        {
            orderer.Add(request);
            while (orderer.TryTakeReleased(out _))
            {
                released++;
            }
        }

        orderer.Complete();
        return released + orderer.TakeReleased().LongCount();
    }

    [Benchmark]
    public long AtTheCap()
    {
        long released = 0;
        foreach (var arrival in _arrivals)
        {
            _full.Add(arrival with { StageTimestamp = arrival.StageTimestamp + _shift });
            while (_full.TryTakeReleased(out _))
            {
                released++;
            }
        }

        _shift += TimeSpan.FromSeconds(Count / 160_000.0);
        return released;
    }
}
