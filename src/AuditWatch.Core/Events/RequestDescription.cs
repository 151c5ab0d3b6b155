namespace AuditWatch.Core.Events;

/// <summary>
/// What an audit event says about its request that many events repeat word for word: who asked, from where, for
/// what, and how it ended. The decoder shares one instance between all events that agree on every part, so an event
/// itself holds only what is its own (audit ID and times).
/// </summary>
public sealed record RequestDescription
{
    /// <summary>The starting point of an event built with an object initializer; its required parts replace these.</summary>
    public static readonly RequestDescription Blank = new() { Verb = string.Empty, User = UserInfo.Named(string.Empty) };

    public required string Verb { get; init; }
    public required UserInfo User { get; init; }
    public AuditStage Stage { get; init; }
    public string? Level { get; init; }
    public string? RequestUri { get; init; }
    public UserInfo? ImpersonatedUser { get; init; }
    public IReadOnlyList<string> SourceIps { get; init; } = [];
    public string? UserAgent { get; init; }
    public ObjectReference? ObjectRef { get; init; }
    public int? ResponseCode { get; init; }
    public string? AuthorizationDecision { get; init; }
    public SecretPayload SecretPayload { get; init; }
    public ObjectFacts RequestFacts { get; init; } = ObjectFacts.Empty;
}
