using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Normalize;

/// <summary>Maps the counted stage of a request to its normalized record. Pure: no state, no clock.</summary>
public static class RequestNormalizer
{
    /// <param name="stampedAhead">See <see cref="ApiRequest.StampedAhead"/>.</param>
    public static ApiRequest Normalize(AuditEvent auditEvent, bool stampedAhead = false)
    {
        var objectRef = auditEvent.ObjectRef;
        return new ApiRequest
        {
            AuditId = auditEvent.AuditId,
            Time = auditEvent.RequestTime,
            Identity = IdentityCache.Parse(auditEvent.User, auditEvent.ImpersonatedUser),
            Verb = auditEvent.Verb,
            Resource = objectRef?.Resource,
            Subresource = objectRef?.Subresource,
            ApiGroup = objectRef?.ApiGroup,
            Namespace = objectRef?.Namespace,
            Name = objectRef?.Name,
            RequestUri = auditEvent.RequestUri,
            Outcome = OutcomeClassifier.Classify(auditEvent.ResponseCode, auditEvent.AuthorizationDecision),
            ResponseCode = auditEvent.ResponseCode,
            SourceIps = auditEvent.SourceIps,
            UserAgent = auditEvent.UserAgent,
            UserAgentProduct = UserAgentProduct.Of(auditEvent.UserAgent),
            SecretRead = SecretReadClassifier.Classify(auditEvent.Verb, objectRef, auditEvent.RequestUri),
            SecretPayload = auditEvent.SecretPayload,
            RequestFacts = auditEvent.RequestFacts,
            Replayed = auditEvent.Replayed,
            StampedAhead = stampedAhead,
        };
    }
}
