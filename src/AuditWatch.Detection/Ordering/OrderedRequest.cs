using AuditWatch.Core.Requests;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Detection.Ordering;

/// <summary>A request on its way to the rules: in event-time order, or out of it (late, or stamped ahead).</summary>
/// <remarks>Requests out of order are kept out of windows, but single-event rules still judge them.</remarks>
/// <param name="Shape">
/// Its shape in the pipeline's numbering, so that rules skip what they cannot apply to. It is
/// <see cref="RequestShape.Unnumbered"/> until the pipeline numbers it, and no rule skips an unnumbered request.
/// </param>
public readonly record struct OrderedRequest(ApiRequest Request, EventTiming Timing, RequestShape Shape)
{
    public OrderedRequest(ApiRequest request, EventTiming timing)
        : this(request, timing, RequestShape.Unnumbered)
    {
    }

    /// <summary>Judged on its own by single-event rules only: windows never see it.</summary>
    public bool OutOfOrder => Timing != EventTiming.InOrder;
}
