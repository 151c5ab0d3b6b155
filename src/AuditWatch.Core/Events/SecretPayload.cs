namespace AuditWatch.Core.Events;

/// <summary>
/// Which bodies of a sensitive request (secrets, tokenreviews, serviceaccounts/token) the audit stream carried.
/// The bodies themselves are dropped at decode time; only this fact survives.
/// </summary>
[Flags]
public enum SecretPayload
{
    None = 0,
    RequestObject = 1,
    ResponseObject = 2,
}
