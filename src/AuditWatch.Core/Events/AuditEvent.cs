namespace AuditWatch.Core.Events;

/// <summary>One decoded <c>audit.k8s.io/v1</c> Event, holding only what detection and evidence need.</summary>
public sealed record AuditEvent
{
    public required AuditId AuditId { get; init; }
    public required AuditStage Stage { get; init; }
    public string? Level { get; init; }
    public string? RequestUri { get; init; }
    public required string Verb { get; init; }
    public required UserInfo User { get; init; }
    public UserInfo? ImpersonatedUser { get; init; }
    public IReadOnlyList<string> SourceIps { get; init; } = [];
    public string? UserAgent { get; init; }
    public ObjectReference? ObjectRef { get; init; }
    public int? ResponseCode { get; init; }
    public string? AuthorizationDecision { get; init; }
    public DateTimeOffset? RequestReceivedTimestamp { get; init; }

    /// <summary>When this stage was written; the older <c>timestamp</c> field when <c>stageTimestamp</c> is absent.</summary>
    public required DateTimeOffset StageTimestamp { get; init; }

    public SecretPayload SecretPayload { get; init; }
    public ObjectFacts RequestFacts { get; init; } = ObjectFacts.Empty;
    public SourcePosition Position { get; init; }

    /// <summary>
    /// Read again to rebuild window state (a Kafka partition newly assigned): it feeds windows, but alerts it alone
    /// would cause were raised already by the previous owner and are not raised again.
    /// </summary>
    public bool Replayed { get; init; }

    /// <summary>The time the request was made: every stage of one request shares it.</summary>
    public DateTimeOffset RequestTime => RequestReceivedTimestamp ?? StageTimestamp;
}
