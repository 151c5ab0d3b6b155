using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>Either a decoded event or the error for one bad item; a bad item never hides the good ones around it.</summary>
public readonly record struct DecodeResult(AuditEvent? Event, DecodeError? Error)
{
    public static DecodeResult Of(AuditEvent auditEvent) => new(auditEvent, null);

    public static DecodeResult Of(DecodeError error) => new(null, error);
}
