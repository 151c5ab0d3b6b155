using AuditWatch.Alerting.Templates;

namespace AuditWatch.Alerting.Delivery;

/// <summary>What every sink may use: an HTTP client, the clock, the message templates, where to keep files.</summary>
public sealed record SinkContext(HttpClient Http, TimeProvider Time, AlertTemplates Templates, string DataDirectory);
