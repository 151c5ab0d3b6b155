using System.CommandLine;
using AuditWatch.Alerting.Silences;
using AuditWatch.Hosting;
using AuditWatch.Rules.Yaml;

namespace AuditWatch.Cli;

/// <summary><c>AuditWatch silence add|list|expire</c>: silences kept in the data directory; a running service picks them up.</summary>
internal static class SilenceCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var matchers = new Argument<string[]>("MATCHER") { Description = "name=value, name!=value, name=~regex or name!~regex; names: rule, severity, user, incident or a rule label.", Arity = ArgumentArity.OneOrMore };
        var duration = new Option<string>("--duration") { Description = "How long, such as 2h or 1d.", DefaultValueFactory = _ => "2h" };
        var comment = new Option<string>("--comment") { Description = "Why (shown in silence list).", DefaultValueFactory = _ => string.Empty };
        var author = new Option<string>("--author") { Description = "Who.", DefaultValueFactory = _ => Environment.UserName };
        var add = new Command("add", "Mute alerts matching every matcher for a while.") { matchers, duration, comment, author };
        add.TreatUnmatchedTokensAsErrors = false;
        add.SetAction(parse =>
        {
            if (!Durations.TryParse(parse.GetValue(duration)!, out var span) || span <= TimeSpan.Zero)
            {
                stderr.WriteLine("error: --duration takes a positive duration such as 30m, 2h or 1d");
                return ExitCodes.UsageOrRules;
            }

            try
            {
                var silence = Store(parse.UnmatchedTokens, time).Add(parse.GetValue(matchers)!, span, parse.GetValue(comment)!, parse.GetValue(author)!);
                stdout.WriteLine($"{silence.Id} until {silence.EndsAt.UtcDateTime:u}: {string.Join(", ", silence.Matchers)}");
                return ExitCodes.Success;
            }
            catch (ArgumentException ex)
            {
                stderr.WriteLine($"error: {ex.Message}");
                return ExitCodes.UsageOrRules;
            }
        });

        var list = new Command("list", "Show silences, active and ended.");
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction(parse =>
        {
            var now = time.GetUtcNow();
            foreach (var silence in Store(parse.UnmatchedTokens, time).List())
            {
                var state = silence.IsActive(now) ? "active" : now < silence.StartsAt ? "pending" : "ended";
                var until = silence.EndsAt == DateTimeOffset.MaxValue ? "forever" : silence.EndsAt.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
                stdout.WriteLine($"{silence.Id}\t{state}\tuntil {until}\t{string.Join(", ", silence.Matchers)}\t{silence.CreatedBy}\t{silence.Comment}");
            }

            return ExitCodes.Success;
        });

        var id = new Argument<string>("ID") { Description = "Silence id from silence list." };
        var expire = new Command("expire", "End a silence now.") { id };
        expire.TreatUnmatchedTokensAsErrors = false;
        expire.SetAction(parse =>
        {
            if (Store(parse.UnmatchedTokens, time).Expire(parse.GetValue(id)!))
            {
                stdout.WriteLine($"{parse.GetValue(id)} expired");
                return ExitCodes.Success;
            }

            stderr.WriteLine($"error: no stored silence {parse.GetValue(id)}");
            return ExitCodes.UsageOrRules;
        });

        return new Command("silence", "Mute alerts for a while (like Alertmanager silences).") { add, list, expire };
    }

    private static SilenceStore Store(IReadOnlyList<string> settings, TimeProvider time)
    {
        var configuration = ServiceConfiguration.Build(settings);
        var configured = SilenceOptions.ToSilences(Microsoft.Extensions.Configuration.ConfigurationBinder.Get<List<SilenceOptions>>(configuration.GetSection("Silences")) ?? []);
        return new SilenceStore(ServiceConfiguration.DataDirectory(configuration), configured, time, []);
    }
}
