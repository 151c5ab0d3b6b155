using System.Globalization;
using System.Text.RegularExpressions;

namespace AuditWatch.Rules.Yaml;

/// <summary>Durations as written in rules: a sequence of number-unit parts, such as 90s, 5m, 1h30m, 7d, 500ms.</summary>
public static partial class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var seconds = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['m', 's', 'h', 'd']);
            var amount = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            seconds += amount * part.Value[unitStart..] switch
            {
                "ms" => 0.001,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                _ => 86400,
            };
        }

        // Beyond what a TimeSpan holds (some 29,000 years) a duration is a typo, not a setting.
        if (!(seconds < TimeSpan.MaxValue.TotalSeconds))
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalDays: >= 1 } when duration.TotalDays % 1 == 0 => $"{duration.TotalDays:0}d",
        { TotalHours: >= 1 } when duration.TotalHours % 1 == 0 => $"{duration.TotalHours:0}h",
        { TotalMinutes: >= 1 } when duration.TotalMinutes % 1 == 0 => $"{duration.TotalMinutes:0}m",
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s"),
    };

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|s|m|h|d))+$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
