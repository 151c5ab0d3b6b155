namespace AuditWatch.Ingestion.Sources.Kafka;

/// <summary>The <c>Kafka</c> section. The Kafka source is on when <see cref="BootstrapServers"/> is set.</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    public string? BootstrapServers { get; set; }

    public string Topic { get; set; } = "k8s-audit";

    public string GroupId { get; set; } = "auditwatch";

    /// <summary>Messages with no audit event in them go here, with the error in a header; none: they are only counted.</summary>
    public string? DeadLetterTopic { get; set; }

    /// <summary>
    /// Forwarder mode: the webhook and file receivers produce events to <see cref="Topic"/>, keyed by the authenticated
    /// identity, and do no detection themselves; detector instances consume the topic in one consumer group.
    /// </summary>
    public bool Forward { get; set; }

    /// <summary>Any librdkafka consumer property (<c>Kafka:Consumer:security.protocol=SASL_SSL</c> …).</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];

    /// <summary>Any librdkafka producer property, for forwarding and the dead-letter topic.</summary>
    public Dictionary<string, string> Producer { get; set; } = [];

    /// <summary>
    /// How much history a detector reads back when it is assigned a partition someone else was processing, to rebuild
    /// its windows (set from the rules: the longest window plus the allowed lateness). Alerts those events alone would
    /// cause were raised by the previous owner and are not raised again.
    /// </summary>
    public TimeSpan Rewind { get; set; }

    /// <summary>The rewind never goes back more than this many messages (and is this bound alone where brokers cannot look offsets up by time).</summary>
    public long RewindMaxMessages { get; set; } = 100_000;

    public bool Enabled => !string.IsNullOrWhiteSpace(BootstrapServers);
}
