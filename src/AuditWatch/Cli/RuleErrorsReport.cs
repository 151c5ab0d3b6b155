using AuditWatch.Rules.Loading;

namespace AuditWatch.Cli;

internal static class RuleErrorsReport
{
    public static void Write(TextWriter stderr, RuleSet rules)
    {
        foreach (var error in rules.Errors)
        {
            stderr.WriteLine(error.ToString());
        }

        stderr.WriteLine($"{rules.Errors.Count} error(s) in the rules; nothing was run.");
    }
}
