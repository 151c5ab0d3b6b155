using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Ordering;

/// <summary>A request on its way to the rules: in event-time order, or late (behind the watermark).</summary>
/// <remarks>Late requests are too late for windows but single-event rules still judge them.</remarks>
public readonly record struct OrderedRequest(ApiRequest Request, bool Late);
