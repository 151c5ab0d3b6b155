using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace AuditWatch.Core.Events;

/// <summary>
/// An event's <c>auditID</c>. The apiserver makes one UUID per request unless the client sent its own
/// <c>Audit-ID</c> header, which can be any text. A UUID written the way the apiserver writes it (lowercase, with
/// hyphens) is kept as its 16 bytes, so an event, and every window that keeps it as evidence, holds no string for it;
/// any other text is kept as it is. Each text has exactly one form, so equality is plain value equality.
/// </summary>
public readonly struct AuditId : IEquatable<AuditId>
{
    private const int UuidLength = 36;

    private readonly Guid _uuid;
    private readonly string? _text;

    private AuditId(Guid uuid) => _uuid = uuid;

    private AuditId(string text) => _text = text;

    /// <summary>No audit ID (the default value); no text parses to it, the empty one included.</summary>
    public bool IsNone => _text is null && _uuid == Guid.Empty;

    public static AuditId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == UuidLength && TryCanonicalUuid(text, out var uuid) ? new AuditId(uuid) : new AuditId(text);
    }

    /// <summary>
    /// From the UTF-8 bytes of a JSON string value that needed no unescaping; false when they are not valid UTF-8
    /// (checked only when they are not a UUID, which is ASCII by construction).
    /// </summary>
    public static bool TryFromUtf8(ReadOnlySpan<byte> utf8, out AuditId auditId)
    {
        if (TryCanonicalUuid(utf8, out var uuid))
        {
            auditId = new AuditId(uuid);
            return true;
        }

        if (!Utf8.IsValid(utf8))
        {
            auditId = default;
            return false;
        }

        auditId = new AuditId(Encoding.UTF8.GetString(utf8));
        return true;
    }

    /// <summary>The ID that is <paramref name="uuid"/>; none for the all-zero UUID, which no text parses to.</summary>
    public static AuditId FromUuid(Guid uuid) => uuid == Guid.Empty ? default : new AuditId(uuid);

    public static implicit operator AuditId(string text) => Parse(text);

    /// <summary>The UUID, when the ID is one in the apiserver's form (so that writers need no string for it).</summary>
    public bool TryGetUuid(out Guid uuid)
    {
        uuid = _uuid;
        return _text is null && !IsNone;
    }

    /// <summary>The text of an ID that is not a UUID, as it came; null for a UUID and for none.</summary>
    public string? Text => _text;

    public bool Equals(AuditId other) => _uuid == other._uuid && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is AuditId other && Equals(other);

    /// <summary>
    /// Keyed per process like a string's hash (a client chooses its Audit-ID, so a plain hash of the UUID's bytes
    /// would let it pick colliding ones for the tables that count requests).
    /// </summary>
    public override int GetHashCode()
    {
        if (_text is not null)
        {
            return _text.GetHashCode(StringComparison.Ordinal);
        }

        var uuid = _uuid;
        return string.GetHashCode(MemoryMarshal.Cast<byte, char>(MemoryMarshal.AsBytes(new ReadOnlySpan<Guid>(in uuid))));
    }

    public override string ToString() => _text ?? (IsNone ? string.Empty : _uuid.ToString("D"));

    public static bool operator ==(AuditId left, AuditId right) => left.Equals(right);

    public static bool operator !=(AuditId left, AuditId right) => !left.Equals(right);

    // Only the form Guid.ToString("D") gives back, so that the text round-trips; the all-zero UUID stays text
    // (it would read as no audit ID).
    private static bool TryCanonicalUuid(ReadOnlySpan<byte> utf8, out Guid uuid)
    {
        uuid = default;
        return utf8.Length == UuidLength
            && !utf8.ContainsAnyInRange((byte)'A', (byte)'F')
            && Utf8Parser.TryParse(utf8, out uuid, out var consumed, 'D')
            && consumed == UuidLength
            && uuid != Guid.Empty;
    }

    private static bool TryCanonicalUuid(ReadOnlySpan<char> text, out Guid uuid)
    {
        uuid = default;
        return !text.ContainsAnyInRange('A', 'F')
            && Guid.TryParseExact(text, "D", out uuid)
            && uuid != Guid.Empty;
    }
}
