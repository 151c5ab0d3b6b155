using System.CommandLine;
using AuditWatch.Detection.Pipeline;
using AuditWatch.RuleTools;
using AuditWatch.Rules.Loading;

namespace AuditWatch.Cli;

/// <summary><c>AuditWatch tune [--rules DIR] [--output table|json] [--budget N-per-day] PATH...</c></summary>
internal static class TuneCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, TimeProvider wallClock)
    {
        var rules = new Option<string?>("--rules") { Description = "Rules directory (default: ./rules, else the bundled pack)." };
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var budget = new Option<double>("--budget")
        {
            Description = "Alerts per day per rule you accept (N or N-per-day); the threshold suggestion keeps within it.",
            DefaultValueFactory = _ => 5,
            CustomParser = AlertBudget.Parse,
        };
        var paths = new Argument<string[]>("PATH") { Description = "Recorded audit logs.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("tune", "Replay recorded logs and report per rule: incidents, who is behind them, measured values, a threshold for a budget, exclusions.")
        {
            rules, output, budget, paths,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var set = RuleSetLoader.Load(RulesDirectory.Resolve(parse.GetValue(rules)));
            if (!set.IsValid)
            {
                RuleErrorsReport.Write(stderr, set);
                return ExitCodes.UsageOrRules;
            }

            var files = parse.GetValue(paths)!;
            if (await MissingInputs.ReportAsync(stderr, files))
            {
                return ExitCodes.UnreadableInput;
            }

            var progress = new TuneProgress();
            var counters = new PipelineCounters();
            IReadOnlyList<TuneReport> reports;
            using (ProgressDisplay.StartIfTerminal(stderr, progress.Line, wallClock))
            {
                var events = await RecordedEvents.LoadAsync(files, stderr, progress.Reading, progress.EventRead, cancellationToken);
                reports = await RuleTuner.TuneAsync(set.Enabled, events, parse.GetValue(budget), counters, progress);
            }

            await stdout.WriteAsync(parse.GetValue(output) == "json" ? TuneOutput.Json(reports) + "\n" : TuneOutput.Table(reports, parse.GetValue(budget)));
            return RuleFailureReport.Write(stderr, counters) ? ExitCodes.RuleFailed : ExitCodes.Success;
        });
        return command;
    }
}
