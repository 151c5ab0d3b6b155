namespace AuditWatch.Detection.Normalize;

public enum StageVerdict
{
    /// <summary>The first stage of this request that carries its outcome: the request counts now.</summary>
    Counted,

    /// <summary>RequestReceived holds no authorization decision; detection ignores it.</summary>
    RequestReceivedIgnored,

    /// <summary>Another stage of a request already counted (ResponseComplete after ResponseStarted).</summary>
    LaterStage,

    /// <summary>The same stage of the same request again: the webhook re-sent a batch.</summary>
    Redelivery,
}
