using System.CommandLine;
using AuditWatch.Replay;
using AuditWatch.Rules.Yaml;

namespace AuditWatch.Cli;

/// <summary><c>AuditWatch replay [--rules DIR] [--output jsonl|text] PATH...</c></summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, TimeProvider wallClock)
    {
        var rules = new Option<string?>("--rules")
        {
            Description = "Directory of detection rules (default: rules/ beside the current directory, else the bundled pack).",
        };
        var output = new Option<OutputFormat>("--output")
        {
            Description = "jsonl: one JSON object per alert per line on stdout and nothing else; text: for people.",
            DefaultValueFactory = _ => OutputFormat.Text,
        };
        var dataDirectory = new Option<string?>("--data-dir")
        {
            Description = "Keep learned state (first_seen rules) in this directory; without it replay learns in memory only.",
        };
        var lateness = new Option<string>("--allowed-lateness")
        {
            Description = "How late (in event time) an event may arrive and still count in windows: 60s by default, the same as live.",
            DefaultValueFactory = _ => "60s",
        };
        lateness.Validators.Add(result =>
        {
            if (!Durations.TryParse(result.GetValueOrDefault<string>() ?? string.Empty, out _))
            {
                result.AddError("--allowed-lateness takes a duration such as 30s, 2m or 1h");
            }
        });
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Audit logs: JSON lines, EventList, Event or array of Events; plain or .gz; - for stdin.",
            Arity = ArgumentArity.OneOrMore,
        };

        paths.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value.StartsWith('-')))
            {
                result.AddError($"unknown option '{token.Value}' (use ./{token.Value} for a file of that name)");
            }
        });

        var command = new Command("replay", "Replay recorded audit logs through detection on event time and print the alerts.")
        {
            rules,
            output,
            dataDirectory,
            lateness,
            paths,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var request = new ReplayRequest(parse.GetValue(paths)!, parse.GetValue(output), parse.GetValue(rules), parse.GetValue(dataDirectory),
                Durations.TryParse(parse.GetValue(lateness)!, out var allowed) ? allowed : TimeSpan.FromSeconds(60));
            return new ReplayRun(stdout, stderr, wallClock).ExecuteAsync(request, cancellationToken);
        });
        return command;
    }
}
