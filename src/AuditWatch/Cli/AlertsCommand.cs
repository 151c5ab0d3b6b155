using System.CommandLine;
using AuditWatch.Alerting.Delivery;
using AuditWatch.Core.Alerts;
using AuditWatch.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditWatch.Cli;

/// <summary><c>AuditWatch alerts test [--sink NAME]</c>: a clearly marked test alert through the configured routes.</summary>
internal static class AlertsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var sink = new Option<string?>("--sink") { Description = "Only this sink (slack, email, alertmanager, webhook, file)." };
        var test = new Command("test", "Send a test alert through the configured routes; report per sink success or the exact error.") { sink };
        test.TreatUnmatchedTokensAsErrors = false;
        test.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = QuickToFail(parse.UnmatchedTokens);
            var errors = new List<string>();
            var alerting = AlertingSetup.Build(configuration, ServiceConfiguration.DataDirectory(configuration), time, NullLoggerFactory.Instance, errors);
            using var http = alerting.Http;
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"error: {error}");
            }

            if (errors.Count > 0)
            {
                return ExitCodes.UsageOrRules;
            }

            var alert = TestAlert(time.GetUtcNow());
            var only = parse.GetValue(sink);
            var targets = only is null
                ? alerting.Routes.Match(alert).SelectMany(r => r.Sinks).Distinct().ToList()
                : [only];
            var deliveries = alerting.Deliveries.Where(d => targets.Contains(d.Name)).ToList();
            if (deliveries.Count == 0)
            {
                await stderr.WriteLineAsync(only is null
                    ? "no sink is configured (Sinks:Slack:WebhookUrl, Sinks:Email:Host, Sinks:Alertmanager:Url, Sinks:Webhook:Url, Sinks:File:Path)"
                    : $"error: sink '{only}' is not configured");
                return ExitCodes.UsageOrRules;
            }

            var failed = 0;
            foreach (var delivery in deliveries)
            {
                var error = await delivery.DeliverAsync(new Notification("test", alert.IncidentId, [alert], IsTest: true), cancellationToken);
                failed += error is null ? 0 : 1;
                await stdout.WriteLineAsync(error is null ? $"{delivery.Name}: delivered" : $"{delivery.Name}: FAILED: {error}");
            }

            return failed == 0 ? ExitCodes.Success : ExitCodes.UnreadableInput;
        });

        return new Command("alerts", "Work with alert delivery.") { test };
    }

    /// <summary>
    /// The service rides out minutes of outage; a person testing a sink wants the error within a minute. Settings the
    /// person gave (on the command line or in the environment) are kept.
    /// </summary>
    private static IConfiguration QuickToFail(IReadOnlyList<string> tokens)
    {
        var configuration = ServiceConfiguration.Build(tokens);
        (string Key, string Value)[] quick = [("Delivery:MaxRetries", "2"), ("Delivery:MaxRetryAfter", "00:00:05"), ("Delivery:AttemptTimeout", "00:00:15")];
        var missing = quick.Where(q => configuration[q.Key] is null).Select(q => $"--{q.Key}={q.Value}").ToList();
        return missing.Count == 0 ? configuration : ServiceConfiguration.Build([.. tokens, .. missing]);
    }

    private static Alert TestAlert(DateTimeOffset now) => new()
    {
        Rule = "auditwatch-test",
        Title = "AuditWatch test alert (no action needed)",
        Severity = Severity.Info,
        User = "auditwatch",
        FirstSeen = now,
        LastSeen = now,
        Count = 1,
        DistinctObjects = 1,
        Objects = ["auditwatch/test"],
        Namespaces = ["auditwatch"],
        SourceIps = [],
        UserAgents = [],
        AuditIds = [],
        Summary = "TEST: this alert checks that AuditWatch can reach this channel. Nothing happened in the cluster.",
        Status = AlertStatus.Firing,
        IncidentId = "test-" + now.ToUnixTimeSeconds(),
        Outcomes = new OutcomeCounts(1, 0, 0, 0),
        Labels = new Dictionary<string, string> { ["test"] = "true" },
    };
}
