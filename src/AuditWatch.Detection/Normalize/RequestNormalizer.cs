using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Normalize;

/// <summary>Maps the counted stage of a request to its normalized record. Pure: no state, no clock.</summary>
public static class RequestNormalizer
{
    /// <param name="aheadJudgedAt">
    /// Set when the request is stamped ahead (<see cref="ApiRequest.AheadStamp"/>): the time to judge it at instead.
    /// </param>
    public static ApiRequest Normalize(AuditEvent auditEvent, DateTimeOffset? aheadJudgedAt = null)
    {
        var objectRef = auditEvent.ObjectRef;
        return new ApiRequest
        {
            AuditId = auditEvent.AuditId,
            Time = aheadJudgedAt ?? auditEvent.RequestTime,
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
            AheadStamp = aheadJudgedAt is null ? null : auditEvent.RequestTime,
        };
    }
}
