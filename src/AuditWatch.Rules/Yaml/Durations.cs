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

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['m', 's', 'h', 'd']);
            var amount = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            duration += part.Value[unitStart..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }

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
