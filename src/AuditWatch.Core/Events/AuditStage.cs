namespace AuditWatch.Core.Events;

/// <summary>The stage of request handling at which the apiserver wrote an audit event.</summary>
public enum AuditStage
{
    Unknown,
    RequestReceived,
    ResponseStarted,
    ResponseComplete,
    Panic,
}
