using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// Either a decoded event or the error for one bad item, with where the item was; a bad item never hides the good ones
/// around it. The position stays here, not on the event, which detection holds for seconds and never asks where from.
/// </summary>
public readonly record struct DecodeResult(AuditEvent? Event, DecodeError? Error, SourcePosition Position)
{
    public static DecodeResult Of(AuditEvent auditEvent, SourcePosition position) => new(auditEvent, null, position);

    public static DecodeResult Of(DecodeError error) => new(null, error, error.Position);
}
