using System.Diagnostics.CodeAnalysis;

namespace AuditWatch.Core.Events;

/// <summary>
/// One decoded <c>audit.k8s.io/v1</c> Event, holding only what detection and evidence need. What events repeat lives
/// in a shared <see cref="RequestDescription"/>; the event itself is its audit ID, its two times and that reference,
/// a 48-byte value carried in lists from the decoder through the ingest queue to detection, so that decoding one at the
/// full rate allocates nothing for the event itself.
/// </summary>
public readonly record struct AuditEvent
{
    // DateTime ticks stay below 2^62, so the top bit of the stage time is free to carry Replayed.
    private const long ReplayedBit = long.MinValue;
    private const long NoTime = 0;

    private readonly RequestDescription _description = RequestDescription.Blank;
    private readonly long _requestReceivedTicks;
    private readonly long _stageTicksAndReplayed;

    public AuditEvent()
    {
    }

    /// <summary>The decoder's way in: the description is shared, so building the event allocates only the event.</summary>
#pragma warning disable CS8618 // Verb and User are read from the description, which requires them.
    [SetsRequiredMembers]
    public AuditEvent(RequestDescription description, AuditId auditId, DateTimeOffset stageTimestamp, DateTimeOffset? requestReceivedTimestamp)
    {
        _description = description;
        AuditId = auditId;
        StageTimestamp = stageTimestamp;
        RequestReceivedTimestamp = requestReceivedTimestamp;
    }
#pragma warning restore CS8618

    public RequestDescription Description => _description;

    public required AuditId AuditId { get; init; }

    public required AuditStage Stage { get => _description.Stage; init => _description = _description with { Stage = value }; }

    public string? Level { get => _description.Level; init => _description = _description with { Level = value }; }

    public string? RequestUri { get => _description.RequestUri; init => _description = _description with { RequestUri = value }; }

    public required string Verb { get => _description.Verb; init => _description = _description with { Verb = value }; }

    public required UserInfo User { get => _description.User; init => _description = _description with { User = value }; }

    public UserInfo? ImpersonatedUser { get => _description.ImpersonatedUser; init => _description = _description with { ImpersonatedUser = value }; }

    public IReadOnlyList<string> SourceIps { get => _description.SourceIps; init => _description = _description with { SourceIps = value }; }

    public string? UserAgent { get => _description.UserAgent; init => _description = _description with { UserAgent = value }; }

    public ObjectReference? ObjectRef { get => _description.ObjectRef; init => _description = _description with { ObjectRef = value }; }

    public int? ResponseCode { get => _description.ResponseCode; init => _description = _description with { ResponseCode = value }; }

    public string? AuthorizationDecision
    {
        get => _description.AuthorizationDecision;
        init => _description = _description with { AuthorizationDecision = value };
    }

    public SecretPayload SecretPayload { get => _description.SecretPayload; init => _description = _description with { SecretPayload = value }; }

    public ObjectFacts RequestFacts { get => _description.RequestFacts; init => _description = _description with { RequestFacts = value }; }

    public DateTimeOffset? RequestReceivedTimestamp
    {
        get => _requestReceivedTicks == NoTime ? null : new DateTimeOffset(_requestReceivedTicks, TimeSpan.Zero);
        init => _requestReceivedTicks = value?.UtcTicks ?? NoTime;
    }

    /// <summary>When this stage was written; the older <c>timestamp</c> field when <c>stageTimestamp</c> is absent.</summary>
    public required DateTimeOffset StageTimestamp
    {
        get => new(_stageTicksAndReplayed & ~ReplayedBit, TimeSpan.Zero);
        init => _stageTicksAndReplayed = value.UtcTicks | (_stageTicksAndReplayed & ReplayedBit);
    }

    /// <summary>
    /// Read again to rebuild window state (a Kafka partition newly assigned): it feeds windows, but alerts it alone
    /// would cause were raised already by the previous owner and are not raised again.
    /// </summary>
    public bool Replayed
    {
        get => _stageTicksAndReplayed < 0;
        init => _stageTicksAndReplayed = value ? _stageTicksAndReplayed | ReplayedBit : _stageTicksAndReplayed & ~ReplayedBit;
    }

    /// <summary>The time the request was made: every stage of one request shares it.</summary>
    public DateTimeOffset RequestTime => RequestReceivedTimestamp ?? StageTimestamp;
}
