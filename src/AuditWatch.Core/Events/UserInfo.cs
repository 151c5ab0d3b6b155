namespace AuditWatch.Core.Events;

/// <summary>The <c>user</c> or <c>impersonatedUser</c> block of an audit event.</summary>
public sealed record UserInfo(
    string Username,
    string? Uid,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra =
        new Dictionary<string, IReadOnlyList<string>>();

    public static UserInfo Named(string username) => new(username, null, [], NoExtra);
}
