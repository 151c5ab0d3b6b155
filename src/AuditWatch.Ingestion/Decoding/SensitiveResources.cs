using AuditWatch.Core.Events;

namespace AuditWatch.Ingestion.Decoding;

/// <summary>Requests whose bodies hold credentials: Secrets, TokenReviews (the reviewed token) and TokenRequests.</summary>
public static class SensitiveResources
{
    public static bool CarriesCredentials(ObjectReference? objectRef) => objectRef switch
    {
        { Resource: "secrets" } => true,
        { Resource: "tokenreviews" } => true,
        { Resource: "serviceaccounts", Subresource: "token" } => true,
        _ => false,
    };
}
