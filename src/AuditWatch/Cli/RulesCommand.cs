using System.CommandLine;
using AuditWatch.RuleTesting;
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

        return new Command("rules", "Validate and test detection rules.") { validate, test };
    }

    private static Argument<string?> DirectoryArgument() => new("DIR")
    {
        Description = "Rules directory (default: ./rules, else the bundled pack).",
        Arity = ArgumentArity.ZeroOrOne,
    };
}
