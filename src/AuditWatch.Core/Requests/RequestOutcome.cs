namespace AuditWatch.Core.Requests;

public enum RequestOutcome
{
    Allowed,
    Denied,
    NotFound,
    Error,
    Unknown,
}
