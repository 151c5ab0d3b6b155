namespace AuditWatch.Ingestion.Decoding;

/// <summary>Receives what <see cref="JsonItemFramer"/> finds: whole items, and errors for the parts that are not.</summary>
internal interface IFrameHandler
{
    /// <param name="item">The item's bytes, valid only during the call.</param>
    /// <param name="line">The 1-based line the item starts on.</param>
    /// <param name="index">The 0-based index inside an EventList or array, or -1.</param>
    void OnItem(ReadOnlySpan<byte> item, long line, long index);

    void OnError(long line, long index, DecodeErrorKind kind, string reason);
}
