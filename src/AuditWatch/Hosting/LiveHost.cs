using System.Diagnostics;
using AuditWatch.Accounting;
using AuditWatch.Cli;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using AuditWatch.Ingestion.Sources.Files;
using AuditWatch.Ingestion.Sources.Kafka;
using AuditWatch.Ingestion.Sources.Webhook;
using AuditWatch.Metrics;
using AuditWatch.Output;
using AuditWatch.Rules.Loading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AuditWatch.Hosting;

/// <summary>
/// <c>AuditWatch run</c>: the live service. Configuration from appsettings.json, environment (<c>Section__Key</c>) and
/// the command line (<c>--Section:Key=value</c>, <c>--urls</c>), validated as a whole before anything starts.
/// </summary>
public static class LiveHost
{
    public static async Task<int> RunAsync(string[] args, RunRequest request, TextWriter stdout, TextWriter stderr)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        ConfigureLogging(builder.Logging);

        var configuration = builder.Configuration;
        var webhook = Bind<WebhookOptions>(configuration, WebhookOptions.Section);
        var files = Bind<FileSourceOptions>(configuration, FileSourceOptions.Section);
        var detection = Bind<DetectionSettings>(configuration, DetectionSettings.Section);
        var queueSettings = Bind<IngestSettings>(configuration, IngestSettings.Section);
        var output = Bind<OutputSettings>(configuration, OutputSettings.Section);
        var shutdown = Bind<ShutdownSettings>(configuration, ShutdownSettings.Section);
        var kafka = Bind<KafkaOptions>(configuration, KafkaOptions.Section);
        var benchmark = Bind<BenchmarkSettings>(configuration, BenchmarkSettings.Section);

        // Started before the rules load and the host is built, so the collections of start-up are counted too.
        using var runtimePauses = benchmark.NoMetrics ? null : RuntimePauseMetrics.Start(Prometheus.Metrics.DefaultFactory);
        if (request.Output is { } format)
        {
            output.Format = format;
        }

        var errors = new List<string>();
        var listeners = ListenAddress.ParseAll(configuration["urls"], errors);
        errors.AddRange(StartupValidator.Validate(listeners, webhook, files, detection, queueSettings, shutdown));
        errors.AddRange(StartupValidator.Validate(kafka));
        errors.AddRange(StartupValidator.Validate(listeners, benchmark));
        var rulesDirectory = RulesDirectory.Resolve(request.RulesDirectory ?? detection.Rules);
        var ruleSources = RuleSources.Read(rulesDirectory);
        var rules = ruleSources.Load();
        if (!rules.IsValid)
        {
            errors.AddRange(rules.Errors.Select(e => e.ToString()));
        }

        kafka.Rewind = detection.AllowedLateness + RuleLookback.Of(rules.Enabled);

        var time = TimeProvider.System;
        // Sinks are built (and their settings checked) before the host exists, so they get a logger of the same kind.
        using var loggers = LoggerFactory.Create(ConfigureLogging);
        var alerting = AlertingSetup.Build(configuration, detection.DataDirectory, time, loggers, errors);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"error: {error}");
            }

            await stderr.WriteLineAsync($"{errors.Count} configuration error(s); AuditWatch did not start (see docs/configuration.md).");
            return ExitCodes.UsageOrRules;
        }

        var authenticator = new WebhookAuthenticator(webhook, time);
        var queue = new IngestQueue(queueSettings.CapacityEvents);
        var ingestCounters = new IngestCounters();
        var pipelineCounters = new PipelineCounters();
        var stateLogger = loggers.CreateLogger("AuditWatch.Detection.State");
        var detectionOptions = new DetectionOptions
        {
            DataDirectory = detection.DataDirectory,
            MaxGroupsPerRule = detection.MaxGroupsPerRule,
            EventTime = new EventTimeOptions { AllowedLateness = detection.AllowedLateness, MaxBuffered = detection.MaxBufferedRequests },
            Requests = new RequestCounterOptions { Capacity = detection.RememberedRequests },
            StateWriteFailed = (path, error) => StateWriteLog.Failed(stateLogger, path, error.Message),
        };

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(webhook);
        builder.Services.AddSingleton(files);
        builder.Services.AddSingleton(detection);
        builder.Services.AddSingleton(authenticator);
        builder.Services.AddSingleton(queue);
        builder.Services.AddSingleton(ingestCounters);
        builder.Services.AddSingleton(pipelineCounters);
        builder.Services.AddSingleton(detectionOptions);
        builder.Services.AddSingleton(sp => new RuleReloader(ruleSources, rules, time, sp.GetRequiredService<ILogger<RuleReloader>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RuleReloader>());
        builder.Services.AddSingleton(new AuditStreamDecoder());
        builder.Services.AddSingleton(new ConsoleAlertWriter(stdout, output.Format));
        builder.Services.AddSingleton(new AlertMetrics());
        builder.Services.AddSingleton(new Readiness { RuleCount = rules.Enabled.Count, FilesStarted = files.Paths.Count == 0 });
        builder.Services.AddSingleton(alerting);
        builder.Services.AddSingleton(kafka);
        builder.Services.AddSingleton(new KafkaCounters());
        builder.Services.AddSingleton(kafka.Forward ? new HandOff(true, TimeSpan.FromSeconds(30)) : HandOff.Immediate);
        builder.Services.AddSingleton<WebhookEndpoint>();

        // Hosted services stop in reverse order: sources (files, Kafka), then detection or forwarding (draining what
        // was accepted), then delivery (flushing), then the accounting report.
        builder.Services.AddHostedService<AccountingReport>();
        builder.Services.AddHostedService<DeliveryWorker>();
        if (kafka.Forward)
        {
            builder.Services.AddSingleton(sp => new KafkaForwarder(kafka, queue, sp.GetRequiredService<KafkaCounters>(), sp.GetRequiredService<ILogger<KafkaForwarder>>()));
            builder.Services.AddHostedService<ForwarderWorker>();
        }
        else
        {
            builder.Services.AddHostedService<DetectionWorker>();
            if (kafka.Enabled)
            {
                builder.Services.AddHostedService<KafkaSourceWorker>();
            }
        }
        if (files.Paths.Count > 0)
        {
            builder.Services.AddHostedService<FileTailWorker>();
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown.Timeout);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureListeners(kestrel, listeners, webhook, authenticator, time));

        var app = builder.Build();
        if (!benchmark.NoMetrics)
        {
            PipelineMetrics.Register(ingestCounters, queue, pipelineCounters);
            DeliveryMetrics.Register(alerting.Counters);
            KafkaMetrics.Register(app.Services.GetRequiredService<KafkaCounters>(), consumes: kafka.Enabled && !kafka.Forward);
            RuleReloadMetrics.Register(app.Services.GetRequiredService<RuleReloader>());
            RegexTimeoutMetrics.Register();
        }

        MapEndpoints(app, benchmark);
        var readiness = app.Services.GetRequiredService<Readiness>();
        await app.RunAsync();
        return readiness.DetectionFailed ? ExitCodes.ServiceFailed : ExitCodes.Success;
    }

    /// <summary>Logs go to stderr, one line each: stdout is for alerts only.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var value = new T();
        configuration.GetSection(section).Bind(value);
        return value;
    }

    private static void ConfigureListeners(KestrelServerOptions kestrel, IReadOnlyList<ListenAddress> listeners, WebhookOptions webhook, WebhookAuthenticator authenticator, TimeProvider time)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = webhook.MaxBodyBytes;
        kestrel.Limits.RequestHeadersTimeout = webhook.HeadersTimeout;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(webhook.MinBodyBytesPerSecond, webhook.MinBodyRateGracePeriod);
        kestrel.Limits.KeepAliveTimeout = webhook.KeepAliveTimeout;
        kestrel.Limits.MaxConcurrentConnections = webhook.MaxConcurrentConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
        kestrel.Limits.MaxRequestHeaderCount = webhook.MaxRequestHeaderCount;
        kestrel.Limits.MaxRequestHeadersTotalSize = webhook.MaxRequestHeadersBytes;
        var certificate = webhook.Tls.IsConfigured ? new ServerCertificate(webhook.Tls, time) : null;
        foreach (var listener in listeners)
        {
            void Configure(ListenOptions options)
            {
                if (!listener.Https)
                {
                    return;
                }

                options.UseHttps(https =>
                {
                    https.ServerCertificateSelector = (_, _) => certificate!.Current;
                    https.ClientCertificateMode = authenticator.AcceptsClientCertificates ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate;
                    https.ClientCertificateValidation = (client, _, _) => authenticator.IsTrusted(client);
                });
            }

            if (listener.Address is null)
            {
                kestrel.ListenLocalhost(listener.Port, Configure);
            }
            else
            {
                kestrel.Listen(listener.Address, listener.Port, Configure);
            }
        }
    }

    private static void MapEndpoints(WebApplication app, BenchmarkSettings benchmark)
    {
        var duration = Prometheus.Metrics.CreateHistogram(
            "auditwatch_webhook_request_duration_seconds",
            "Time to answer a webhook request, by HTTP status code.",
            new HistogramConfiguration { LabelNames = ["code"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        var endpoint = app.Services.GetRequiredService<WebhookEndpoint>();
        var readiness = app.Services.GetRequiredService<Readiness>();
        var delivery = app.Services.GetRequiredService<AlertingSetup>().Counters;

        app.MapPost("/audit", async context =>
        {
            var started = Stopwatch.GetTimestamp();
            await endpoint.HandleAsync(context);
            if (!benchmark.NoMetrics)
            {
                duration.WithLabels(context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        });
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () =>
        {
            // A failing sink is reported, not made a reason to stop receiving audit events.
            var problems = readiness.Problems();
            var failingSinks = delivery.Failing();
            return problems.Count == 0
                ? Results.Json(new { ready = true, rules = readiness.RuleCount, failingSinks })
                : Results.Json(new { ready = false, problems, failingSinks }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        if (!benchmark.NoMetrics)
        {
            app.MapMetrics("/metrics");
        }

        if (benchmark.ScanEndpoint)
        {
            app.MapPost(ScanBaselineEndpoint.Path, ScanBaselineEndpoint.HandleAsync);
        }
    }
}
