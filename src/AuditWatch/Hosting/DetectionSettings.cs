using AuditWatch.Detection.Pipeline;

namespace AuditWatch.Hosting;

/// <summary>The <c>Detection</c> section; its defaults are the detection pipeline's own.</summary>
public sealed class DetectionSettings
{
    public const string Section = "Detection";

    private static readonly DetectionOptions Defaults = new();

    /// <summary>How late an event may arrive and still count in windows (30 s + the apiserver's batch wait).</summary>
    public TimeSpan AllowedLateness { get; set; } = Defaults.EventTime.AllowedLateness;

    /// <summary>Where learned state (first_seen rules) and file positions are kept.</summary>
    public string DataDirectory { get; set; } = "data";

    public int MaxGroupsPerRule { get; set; } = Defaults.MaxGroupsPerRule;

    /// <summary>Requests the event-time ordering holds at most; past it the oldest are released before their time.</summary>
    public int MaxBufferedRequests { get; set; } = Defaults.EventTime.MaxBuffered;

    /// <summary>Requests remembered to recognise their other stages and redeliveries; past it the oldest are forgotten.</summary>
    public int RememberedRequests { get; set; } = Defaults.Requests.Capacity;

    /// <summary>How often an idle live stream moves the watermark on.</summary>
    public TimeSpan IdleTick { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rules directory; empty means ./rules, else the pack shipped with AuditWatch.</summary>
    public string? Rules { get; set; }
}
