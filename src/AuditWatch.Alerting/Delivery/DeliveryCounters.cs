using System.Collections.Concurrent;

namespace AuditWatch.Alerting.Delivery;

/// <summary>
/// Per sink: attempts, deliveries, failures, dead letters, time spent and health, and where each alert notice bound for
/// it ended; per rule: suppressed and silenced; overall: notices routed and unrouted.
/// </summary>
public sealed class DeliveryCounters
{
    private long _routed, _unrouted;

    private readonly ConcurrentDictionary<string, SinkState> _sinks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _suppressed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _silenced = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, SinkState> Sinks => _sinks;

    public IReadOnlyDictionary<string, long> Suppressed => _suppressed;

    public IReadOnlyDictionary<string, long> Silenced => _silenced;

    /// <summary>Notices that matched at least one route.</summary>
    public long Routed => Interlocked.Read(ref _routed);

    /// <summary>Notices no route took (every route has matchers and none matched).</summary>
    public long Unrouted => Interlocked.Read(ref _unrouted);

    public void RecordRouted() => Interlocked.Increment(ref _routed);

    public void RecordUnrouted() => Interlocked.Increment(ref _unrouted);

    public SinkState For(string sink) => _sinks.GetOrAdd(sink, _ => new SinkState());

    public void RecordSuppressed(string rule, int repeats)
    {
        if (repeats > 0)
        {
            _suppressed.AddOrUpdate(rule, repeats, (_, n) => n + repeats);
        }
    }

    public void RecordSilenced(string rule) => _silenced.AddOrUpdate(rule, 1, (_, n) => n + 1);

    /// <summary>Sinks whose last notification ended in the dead letter, with the error.</summary>
    public IReadOnlyDictionary<string, string> Failing() =>
        _sinks.Where(s => s.Value.LastError is not null).ToDictionary(s => s.Key, s => s.Value.LastError!);

    public sealed class SinkState
    {
        private long _attempts, _delivered, _failedAttempts, _deadLettered, _queued;
        private long _alertsRouted, _alertsDelivered, _alertsDeadLettered, _alertsSuperseded, _alertsUnsent, _alertsLost;
        private double _seconds;
        private readonly Lock _gate = new();

        public long Attempts => Interlocked.Read(ref _attempts);
        public long Delivered => Interlocked.Read(ref _delivered);
        public long FailedAttempts => Interlocked.Read(ref _failedAttempts);
        public long DeadLettered => Interlocked.Read(ref _deadLettered);
        public long Queued => Interlocked.Read(ref _queued);
        public double Seconds { get { lock (_gate) { return _seconds; } } }
        public string? LastError { get; private set; }

        /// <summary>Alert notices filed into a group of a route that sends to this sink.</summary>
        public long AlertsRouted => Interlocked.Read(ref _alertsRouted);

        /// <summary>Notices that reached the sink for the first time in a delivered notification.</summary>
        public long AlertsDelivered => Interlocked.Read(ref _alertsDelivered);

        /// <summary>Notices whose notification went to the dead letter.</summary>
        public long AlertsDeadLettered => Interlocked.Read(ref _alertsDeadLettered);

        /// <summary>Notices replaced by a newer notice of the same incident before their group was sent.</summary>
        public long AlertsSuperseded => Interlocked.Read(ref _alertsSuperseded);

        /// <summary>Resolved notices of a route that does not send resolved notices.</summary>
        public long AlertsUnsent => Interlocked.Read(ref _alertsUnsent);

        /// <summary>Notices neither delivered nor written to the dead letter (the dead-letter file could not be written).</summary>
        public long AlertsLost => Interlocked.Read(ref _alertsLost);

        /// <summary>Notices routed here that have not ended yet: waiting in a group or in the sink's queue, or being sent.</summary>
        public long AlertsPending
        {
            get
            {
                var ended = AlertsDelivered + AlertsDeadLettered + AlertsSuperseded + AlertsUnsent + AlertsLost;
                return AlertsRouted - ended;
            }
        }

        public void AlertRouted() => Interlocked.Increment(ref _alertsRouted);

        public void AlertsSupersededBy(int count) => Interlocked.Add(ref _alertsSuperseded, count);

        public void AlertsNotSent(int count) => Interlocked.Add(ref _alertsUnsent, count);

        public void Attempt() => Interlocked.Increment(ref _attempts);

        public void AttemptFailed() => Interlocked.Increment(ref _failedAttempts);

        public void Enqueued() => Interlocked.Increment(ref _queued);

        public void Dequeued() => Interlocked.Decrement(ref _queued);

        public void Succeeded(TimeSpan took, int newAlerts)
        {
            Interlocked.Increment(ref _delivered);
            Interlocked.Add(ref _alertsDelivered, newAlerts);
            lock (_gate)
            {
                _seconds += took.TotalSeconds;
            }

            LastError = null;
        }

        /// <summary>A notification given up on: its new alerts are dead-lettered, or lost when the dead letter could not be written.</summary>
        public void DeadLetter(string error, int newAlerts, bool written)
        {
            Interlocked.Increment(ref _deadLettered);
            Interlocked.Add(ref written ? ref _alertsDeadLettered : ref _alertsLost, newAlerts);
            LastError = error;
        }
    }
}
