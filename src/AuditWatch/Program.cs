using System.CommandLine;
using AuditWatch.Cli;

var stdout = Console.Out;
var stderr = Console.Error;
var root = new RootCommand("AuditWatch: watches Kubernetes audit logs for Secret reads that signal credential theft.")
{
    ReplayCommand.Create(stdout, stderr, TimeProvider.System),
    RulesCommand.Create(stdout, stderr),
    TuneCommand.Create(stdout, stderr, TimeProvider.System),
    RunCommand.Create(stdout, stderr),
    AlertsCommand.Create(stdout, stderr, TimeProvider.System),
    SilenceCommand.Create(stdout, stderr, TimeProvider.System),
};

// No verb (or only options) means the live service.
var verbs = root.Subcommands.Select(c => c.Name).ToHashSet();
if (args.Length == 0 || (!verbs.Contains(args[0]) && args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version")))
{
    args = [RunCommand.Name, .. args];
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        stderr.WriteLine($"error: {error.Message}");
    }

    stderr.WriteLine("Run 'AuditWatch --help' for usage.");
    return ExitCodes.UsageOrRules;
}

return await parse.InvokeAsync();
