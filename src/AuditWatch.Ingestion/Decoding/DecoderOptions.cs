namespace AuditWatch.Ingestion.Decoding;

public sealed record DecoderOptions
{
    /// <summary>Largest single item accepted. The apiserver caps an event near 100 KiB; a large margin stays safe.</summary>
    public int MaxItemBytes { get; init; } = 4 * 1024 * 1024;

    public int ReadBufferBytes { get; init; } = 64 * 1024;
}
