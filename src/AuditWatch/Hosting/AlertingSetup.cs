using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Routing;
using AuditWatch.Alerting.Silences;
using AuditWatch.Alerting.Templates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Hosting;

/// <summary>Sinks, routes, silences and delivery built from configuration, for the service and for <c>alerts test</c>.</summary>
public sealed record AlertingSetup(
    IReadOnlyList<SinkDelivery> Deliveries,
    RouteTable Routes,
    SilenceStore Silences,
    AlertDispatcher Dispatcher,
    DeliveryCounters Counters,
    DeadLetterFile DeadLetter,
    HttpClient Http,
    RoutingClock Clock)
{
    public static AlertingSetup Build(IConfiguration configuration, string dataDirectory, TimeProvider time, ILoggerFactory loggers, List<string> errors)
    {
        var options = new DeliveryOptions();
        configuration.GetSection(DeliveryOptions.Section).Bind(options);
        errors.AddRange(options.Validate());
        var http = new HttpClient { Timeout = options.AttemptTimeout > TimeSpan.Zero ? options.AttemptTimeout : TimeSpan.FromSeconds(30) };
        var context = new SinkContext(http, time, AlertTemplates.From(configuration, errors), dataDirectory);
        var sinks = SinkRegistry.Create(configuration, context, errors);
        var routes = RouteTable.From(configuration, [.. sinks.Select(s => s.Name)], errors);
        var configured = configuration.GetSection("Silences").Get<List<SilenceOptions>>() ?? [];
        var silences = new SilenceStore(dataDirectory, SilenceOptions.ToSilences(configured), time, errors);
        var counters = new DeliveryCounters();
        var deadLetter = new DeadLetterFile(options.DeadLetterPath ?? Path.Combine(dataDirectory, "dead-letter.jsonl"), time);
        var logger = loggers.CreateLogger<SinkDelivery>();
        var deliveries = sinks.Select(sink => new SinkDelivery(sink, options, deadLetter, counters, time, logger)).ToList();
        return new AlertingSetup(deliveries, routes, silences, new AlertDispatcher(routes, silences, counters), counters, deadLetter, http, new RoutingClock(time));
    }
}
