namespace AuditWatch.Ingestion.Sources.Files;

/// <summary>How far a file has been read and handed to detection: its inode, byte offset and next line number.</summary>
public sealed record FilePosition(ulong Inode, long Offset, long Line);
