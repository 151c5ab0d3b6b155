using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>An item that could not be decoded, with where it was and why. The reason never quotes the item's content.</summary>
public sealed record DecodeError(SourcePosition Position, DecodeErrorKind Kind, string Reason)
{
    public override string ToString() => $"{Position}: {Reason}";
}
