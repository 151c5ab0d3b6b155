using System.CommandLine;
using AuditWatch.Detection.Normalize;
using AuditWatch.Detection.Pipeline;
using AuditWatch.RuleTesting;
using AuditWatch.RuleTools;
using AuditWatch.Rules.Explaining;
using AuditWatch.Rules.Loading;

namespace AuditWatch.Cli;

/// <summary><c>AuditWatch rules validate [DIR]</c> and <c>AuditWatch rules test [DIR]</c>.</summary>
internal static class RulesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var validate = new Command("validate", "Check every rule file; report all errors as file:line:column. Exit 2 on errors.");
        var validateDirectory = DirectoryArgument();
        validate.Arguments.Add(validateDirectory);
        validate.SetAction(parse =>
        {
            var rules = RuleSetLoader.Load(RulesDirectory.Resolve(parse.GetValue(validateDirectory)));
            if (!rules.IsValid)
            {
                RuleErrorsReport.Write(stderr, rules);
                return ExitCodes.UsageOrRules;
            }

            stdout.WriteLine($"{rules.Rules.Count} rules ({rules.Enabled.Count} enabled), {rules.Lists.All.Count} lists, {rules.Files.Count} files: valid.");
            return ExitCodes.Success;
        });

        var test = new Command("test", "Run every rule's test cases and print pass/fail per case. Exit 1 on a failure.");
        var testDirectory = DirectoryArgument();
        test.Arguments.Add(testDirectory);
        test.SetAction((parse, cancellationToken) =>
        {
            var rules = RuleSetLoader.Load(RulesDirectory.Resolve(parse.GetValue(testDirectory)));
            if (!rules.IsValid)
            {
                RuleErrorsReport.Write(stderr, rules);
                return Task.FromResult(ExitCodes.UsageOrRules);
            }

            return new RuleTestRun(stdout).ExecuteAsync(rules, cancellationToken);
        });

        var explainRule = new Argument<string>("RULE") { Description = "Rule id." };
        var explainEvent = new Option<string>("--event") { Description = "File of audit events (any shape) to explain.", Required = true };
        var explainRules = new Option<string?>("--rules") { Description = "Rules directory." };
        var explain = new Command("explain", "Show, condition by condition, why each event matched a rule or did not.") { explainRule, explainEvent, explainRules };
        explain.SetAction(async (parse, cancellationToken) =>
        {
            var rules = RuleSetLoader.Load(RulesDirectory.Resolve(parse.GetValue(explainRules)));
            if (!rules.IsValid)
            {
                RuleErrorsReport.Write(stderr, rules);
                return ExitCodes.UsageOrRules;
            }

            var id = parse.GetValue(explainRule)!;
            if (rules.Rules.FirstOrDefault(r => r.Id == id) is not { } rule)
            {
                await stderr.WriteLineAsync($"error: no rule '{id}' (rules: {string.Join(", ", rules.Rules.Select(r => r.Id))})");
                return ExitCodes.UsageOrRules;
            }

            var file = parse.GetValue(explainEvent)!;
            if (await MissingInputs.ReportAsync(stderr, [file]))
            {
                return ExitCodes.UnreadableInput;
            }

            foreach (var auditEvent in await RecordedEvents.LoadAsync([file], stderr, cancellationToken))
            {
                await stdout.WriteLineAsync(RuleExplainer.Explain(rule, RequestNormalizer.Normalize(auditEvent)));
            }

            return ExitCodes.Success;
        });

        var diffOld = new Argument<string>("OLD_DIR") { Description = "Rules before." };
        var diffNew = new Argument<string>("NEW_DIR") { Description = "Rules after." };
        var diffPaths = new Argument<string[]>("PATH") { Description = "Recorded audit logs.", Arity = ArgumentArity.OneOrMore };
        var diff = new Command("diff", "Which incidents appear and disappear between two rule sets on the same recorded events.") { diffOld, diffNew, diffPaths };
        diff.SetAction(async (parse, cancellationToken) =>
        {
            var old = RuleSetLoader.Load(parse.GetValue(diffOld)!);
            var @new = RuleSetLoader.Load(parse.GetValue(diffNew)!);
            foreach (var set in new[] { old, @new }.Where(s => !s.IsValid))
            {
                RuleErrorsReport.Write(stderr, set);
                return ExitCodes.UsageOrRules;
            }

            var paths = parse.GetValue(diffPaths)!;
            if (await MissingInputs.ReportAsync(stderr, paths))
            {
                return ExitCodes.UnreadableInput;
            }

            var events = await RecordedEvents.LoadAsync(paths, stderr, cancellationToken);
            var counters = new PipelineCounters();
            var exitCode = await RuleDiff.RunAsync(old.Enabled, @new.Enabled, events, stdout, counters);
            return RuleFailureReport.Write(stderr, counters) ? ExitCodes.RuleFailed : exitCode;
        });

        return new Command("rules", "Validate, test, explain and compare detection rules.") { validate, test, explain, diff };
    }

    private static Argument<string?> DirectoryArgument() => new("DIR")
    {
        Description = "Rules directory (default: ./rules, else the bundled pack).",
        Arity = ArgumentArity.ZeroOrOne,
    };
}
