using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Normalize;

public static class OutcomeClassifier
{
    public static RequestOutcome Classify(int? responseCode, string? authorizationDecision) => responseCode switch
    {
        >= 200 and < 300 => RequestOutcome.Allowed,
        401 or 403 => RequestOutcome.Denied,
        404 => RequestOutcome.NotFound,
        null when authorizationDecision == "forbid" => RequestOutcome.Denied,
        null => RequestOutcome.Unknown,
        _ => RequestOutcome.Error,
    };
}
