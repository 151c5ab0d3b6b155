using System.Collections.Concurrent;

namespace AuditWatch.Alerting.Delivery;

/// <summary>Per sink: attempts, deliveries, failures, dead letters, time spent and health; per rule: suppressed and silenced.</summary>
public sealed class DeliveryCounters
{
    private readonly ConcurrentDictionary<string, SinkState> _sinks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _suppressed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _silenced = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, SinkState> Sinks => _sinks;

    public IReadOnlyDictionary<string, long> Suppressed => _suppressed;

    public IReadOnlyDictionary<string, long> Silenced => _silenced;

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
        private double _seconds;
        private readonly Lock _gate = new();

        public long Attempts => Interlocked.Read(ref _attempts);
        public long Delivered => Interlocked.Read(ref _delivered);
        public long FailedAttempts => Interlocked.Read(ref _failedAttempts);
        public long DeadLettered => Interlocked.Read(ref _deadLettered);
        public long Queued => Interlocked.Read(ref _queued);
        public double Seconds { get { lock (_gate) { return _seconds; } } }
        public string? LastError { get; private set; }

        public void Attempt() => Interlocked.Increment(ref _attempts);

        public void AttemptFailed() => Interlocked.Increment(ref _failedAttempts);

        public void Enqueued() => Interlocked.Increment(ref _queued);

        public void Dequeued() => Interlocked.Decrement(ref _queued);

        public void Succeeded(TimeSpan took)
        {
            Interlocked.Increment(ref _delivered);
            lock (_gate)
            {
                _seconds += took.TotalSeconds;
            }

            LastError = null;
        }

        public void DeadLetter(string error)
        {
            Interlocked.Increment(ref _deadLettered);
            LastError = error;
        }
    }
}
