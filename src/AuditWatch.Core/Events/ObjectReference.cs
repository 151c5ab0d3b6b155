namespace AuditWatch.Core.Events;

/// <summary>The <c>objectRef</c> block: which object the request was about.</summary>
public sealed record ObjectReference(
    string? Resource,
    string? Namespace,
    string? Name,
    string? ApiGroup,
    string? ApiVersion,
    string? Subresource);
