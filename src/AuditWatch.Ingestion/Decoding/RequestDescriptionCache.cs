using System.Runtime.CompilerServices;
using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>
/// Shares one <see cref="RequestDescription"/> between the events that agree on every part. The parts come from the
/// decoder's other caches, so agreeing parts are the same objects and are compared by reference: a hit costs a hash of
/// references and no allocation. Direct-mapped and lock-free like <see cref="Utf8ValueCache{T}"/>: a colliding
/// description replaces the slot, and a description whose parts hold more than <see cref="MaxCachedChars"/> characters
/// is made but not kept, so memory stays bounded whatever the input (slots × about 2 KB at most).
/// </summary>
internal sealed class RequestDescriptionCache(int slots)
{
    public const int MaxCachedChars = 1024;

    private readonly RequestDescription?[] _slots = new RequestDescription?[slots];
    private readonly int _mask = SlotMask.For(slots);

    public RequestDescription Get(in RequestDescriptionParts parts)
    {
        var index = parts.GetReferenceHash() & _mask;
        if (_slots[index] is { } cached && parts.Matches(cached))
        {
            return cached;
        }

        var description = parts.ToDescription();
        if (parts.CharsAtMost(MaxCachedChars))
        {
            _slots[index] = description;
        }

        return description;
    }
}

/// <summary>The parts of a <see cref="RequestDescription"/> as the decoder found them, before one is shared or made.</summary>
internal readonly record struct RequestDescriptionParts(
    string Verb,
    UserInfo User,
    AuditStage Stage,
    string? Level,
    string? RequestUri,
    UserInfo? ImpersonatedUser,
    IReadOnlyList<string> SourceIps,
    string? UserAgent,
    ObjectReference? ObjectRef,
    int? ResponseCode,
    string? AuthorizationDecision,
    SecretPayload SecretPayload,
    ObjectFacts RequestFacts)
{
    /// <summary>Of the parts that vary most; <see cref="Matches"/> compares them all.</summary>
    public int GetReferenceHash() => HashCode.Combine(
        RuntimeHelpers.GetHashCode(User),
        RuntimeHelpers.GetHashCode(RequestUri),
        RuntimeHelpers.GetHashCode(ObjectRef),
        RuntimeHelpers.GetHashCode(Verb),
        RuntimeHelpers.GetHashCode(UserAgent),
        RuntimeHelpers.GetHashCode(SourceIps),
        (int)Stage,
        ResponseCode);

    public bool Matches(RequestDescription description) =>
        ReferenceEquals(Verb, description.Verb)
        && ReferenceEquals(User, description.User)
        && Stage == description.Stage
        && ReferenceEquals(Level, description.Level)
        && ReferenceEquals(RequestUri, description.RequestUri)
        && ReferenceEquals(ImpersonatedUser, description.ImpersonatedUser)
        && ReferenceEquals(SourceIps, description.SourceIps)
        && ReferenceEquals(UserAgent, description.UserAgent)
        && ReferenceEquals(ObjectRef, description.ObjectRef)
        && ResponseCode == description.ResponseCode
        && ReferenceEquals(AuthorizationDecision, description.AuthorizationDecision)
        && SecretPayload == description.SecretPayload
        && ReferenceEquals(RequestFacts, description.RequestFacts);

    /// <summary>Whether the text this description would keep alive (its strings and lists) stays within a budget.</summary>
    public bool CharsAtMost(int budget)
    {
        // Facts come from one request's body and are never the same object twice: caching them would only hold them.
        if (!ReferenceEquals(RequestFacts, ObjectFacts.Empty))
        {
            return false;
        }

        long chars = Length(Verb) + Length(Level) + Length(RequestUri) + Length(UserAgent) + Length(AuthorizationDecision)
            + Length(SourceIps) + Length(User) + Length(ImpersonatedUser);
        if (ObjectRef is { } o)
        {
            chars += Length(o.Resource) + Length(o.Namespace) + Length(o.Name) + Length(o.ApiGroup) + Length(o.ApiVersion) + Length(o.Subresource);
        }

        return chars <= budget;
    }

    private static long Length(string? text) => text?.Length ?? 0;

    private static long Length(IReadOnlyList<string> texts)
    {
        long chars = 0;
        foreach (var text in texts)
        {
            chars += text.Length + 1;
        }

        return chars;
    }

    private static long Length(UserInfo? user)
    {
        if (user is null)
        {
            return 0;
        }

        var chars = Length(user.Username) + Length(user.Uid) + Length(user.Groups);
        foreach (var (key, values) in user.Extra)
        {
            chars += key.Length + Length(values);
        }

        return chars;
    }

    public RequestDescription ToDescription() => new()
    {
        Verb = Verb,
        User = User,
        Stage = Stage,
        Level = Level,
        RequestUri = RequestUri,
        ImpersonatedUser = ImpersonatedUser,
        SourceIps = SourceIps,
        UserAgent = UserAgent,
        ObjectRef = ObjectRef,
        ResponseCode = ResponseCode,
        AuthorizationDecision = AuthorizationDecision,
        SecretPayload = SecretPayload,
        RequestFacts = RequestFacts,
    };
}
