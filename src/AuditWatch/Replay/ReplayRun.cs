using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using AuditWatch.Alerting.Formatting;
using AuditWatch.Alerting.Redaction;
using AuditWatch.Cli;
using AuditWatch.Core.Alerts;
using AuditWatch.Detection.Ordering;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Sources.Files;
using AuditWatch.Rules.Loading;

namespace AuditWatch.Replay;

/// <summary>
/// Replays recorded logs on event time: alerts go to stdout (and nothing else does), skipped items, progress and the
/// summary to stderr.
/// </summary>
internal sealed class ReplayRun(TextWriter stdout, TextWriter stderr, TimeProvider wallClock)
{
    private const int MaxSkippedShown = 20;

    public async Task<int> ExecuteAsync(ReplayRequest request, CancellationToken cancellationToken)
    {
        var rules = RuleSetLoader.Load(RulesDirectory.Resolve(request.RulesDirectory));
        if (!rules.IsValid)
        {
            RuleErrorsReport.Write(stderr, rules);
            return ExitCodes.UsageOrRules;
        }

        if (await MissingInputs.ReportAsync(stderr, request.Paths))
        {
            return ExitCodes.UnreadableInput;
        }

        var started = wallClock.GetTimestamp();
        var progress = new ReadProgress();
        var counters = new PipelineCounters();
        var skipped = new SkippedItems(stderr, MaxSkippedShown);
        var source = new AuditFileSource(new AuditStreamDecoder(), Console.OpenStandardInput);
        var events = source.Read(request.Paths, progress)
            .Do(result =>
            {
                if (result.Error is { } error)
                {
                    skipped.Record(error);
                }
            })
            .Where(result => result.Event is not null)
            .Select(result => result.Event!.Value);
        var options = new DetectionOptions
        {
            DataDirectory = request.DataDirectory,
            EventTime = new EventTimeOptions { AllowedLateness = request.AllowedLateness },
        };
        var alerts = DetectionPipeline.Detect(events, rules.Enabled, options, new HistoricalScheduler(), counters);

        using (ProgressDisplay.StartIfTerminal(stderr, () => ReplayProgressLine(progress, counters), wallClock))
        {
            try
            {
                await alerts.ForEachAsync(alert => Write(alert, request.Output), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: cannot read {progress.CurrentSource}: {ex.Message}");
                return ExitCodes.UnreadableInput;
            }
        }

        await stdout.FlushAsync(cancellationToken);
        ReplaySummary.Write(stderr, counters, skipped, wallClock.GetElapsedTime(started));
        return counters.RuleFailureTotal == 0 ? ExitCodes.Success : ExitCodes.RuleFailed;
    }

    private static string ReplayProgressLine(ReadProgress progress, PipelineCounters counters) => string.Create(
        CultureInfo.InvariantCulture,
        $"{ProgressDisplay.Bar(progress.BytesRead, progress.TotalBytes)}{progress.BytesRead / 1048576.0:0.0} MiB, {counters.Events} events, {counters.Alerts} alerts");

    private void Write(Alert alert, OutputFormat format)
    {
        alert = SecretGuard.Scrub(alert);
        if (format == OutputFormat.Jsonl)
        {
            stdout.WriteLine(AlertJson.Serialize(alert));
        }
        else
        {
            stdout.WriteLine(AlertText.Format(alert));
        }
    }
}
