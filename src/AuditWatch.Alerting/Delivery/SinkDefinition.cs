using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Delivery;

/// <summary>
/// How a sink is made from its configuration section (<c>Sinks:NAME</c>): null when the section does not configure
/// it; problems go to <c>errors</c>, naming the setting.
/// </summary>
public sealed record SinkDefinition(string Name, Func<IConfigurationSection, SinkContext, List<string>, IAlertSink?> Create);
