using AuditWatch.Core.Requests;
using AuditWatch.Rules.Prefiltering;

namespace AuditWatch.Detection.Ordering;

/// <summary>A request on its way to the rules: in event-time order, or late (behind the watermark).</summary>
/// <remarks>Late requests are too late for windows but single-event rules still judge them.</remarks>
/// <param name="Shape">
/// Its shape in the pipeline's numbering, so that rules skip what they cannot apply to. It is
/// <see cref="RequestShape.Unnumbered"/> until the pipeline numbers it, and no rule skips an unnumbered request.
/// </param>
public readonly record struct OrderedRequest(ApiRequest Request, bool Late, RequestShape Shape)
{
    public OrderedRequest(ApiRequest request, bool late)
        : this(request, late, RequestShape.Unnumbered)
    {
    }
}
