namespace AuditWatch.Ingestion.Decoding;

/// <summary>Why an item was rejected; the value is a metric label, so the set stays small and fixed.</summary>
public enum DecodeErrorKind
{
    InvalidJson,
    NotAnObject,
    NotAnEvent,
    WrongType,
    TooLarge,
    Truncated,

    /// <summary>A timestamp no API server can have written (before 1970 or from 3000 on).</summary>
    TimeOutOfRange,
}
