using System.Text;
using System.Text.Unicode;
using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// The caches the decoder shares across streams, bounded in entries and in the size of what an entry may keep: a few MB
/// on what apiservers send, tens of MB at most for input made to fill every slot with the largest values allowed.
/// </summary>
internal static class DecodedValues
{
    public static readonly Utf8ValueCache<string> Strings = new(8192, 256);

    public static readonly Utf8ValueCache<UserInfo> Users = new(4096, 4096);

    public static readonly Utf8ValueCache<IReadOnlyList<string>> AddressLists = new(1024, 256);

    public static readonly Utf8ValueCache<ObjectReference> ObjectRefs = new(8192, 512);

    public static readonly RequestDescriptionCache Descriptions = new(8192);

    /// <summary>Like <see cref="System.Text.Json.Utf8JsonReader.GetString"/>: invalid UTF-8 is an error, not a replacement character.</summary>
    public static string DecodeString(ReadOnlySpan<byte> utf8) =>
        Utf8.IsValid(utf8) ? Encoding.UTF8.GetString(utf8) : throw new InvalidOperationException("invalid UTF-8 in a string value");
}
