namespace AuditWatch.Ingestion.Decoding;

/// <summary>The index mask of the decoder's direct-mapped caches, whose slot count must be a power of two.</summary>
internal static class SlotMask
{
    public static int For(int slots) =>
        slots > 0 && (slots & (slots - 1)) == 0 ? slots - 1 : throw new ArgumentOutOfRangeException(nameof(slots), "a power of two");
}
