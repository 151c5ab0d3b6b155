using System.CommandLine;
using AuditWatch.Hosting;

namespace AuditWatch.Cli;

/// <summary>
/// <c>AuditWatch run</c> (also the executable with no verb): the live service. Options it does not know
/// (<c>--urls</c>, <c>--Section:Key=value</c>) are configuration and go to the host.
/// </summary>
internal static class RunCommand
{
    public const string Name = "run";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<OutputFormat?>("--output")
        {
            Description = "text (default) or jsonl: one JSON object per alert per line on stdout; logs go to stderr.",
        };
        var rules = new Option<string?>("--rules")
        {
            Description = "Rules directory (default: Detection:Rules, else ./rules, else the bundled pack).",
        };
        var command = new Command(Name, "Run the live service: audit webhook, file tailing, detection, alerts.")
        {
            output,
            rules,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse => LiveHost.RunAsync(
            [.. parse.UnmatchedTokens],
            new RunRequest(parse.GetValue(output), parse.GetValue(rules)),
            stdout,
            stderr));
        return command;
    }
}
