using System.CommandLine.Parsing;
using System.Globalization;

namespace AuditWatch.Cli;

/// <summary><c>--budget</c>: alerts per day, written <c>5</c>, <c>5-per-day</c> or <c>0.5/day</c>.</summary>
internal static class AlertBudget
{
    public static double Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        var number = text.EndsWith("-per-day", StringComparison.OrdinalIgnoreCase) ? text[..^"-per-day".Length]
            : text.EndsWith("/day", StringComparison.OrdinalIgnoreCase) ? text[..^"/day".Length]
            : text;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var perDay) && perDay > 0 && double.IsFinite(perDay))
        {
            return perDay;
        }

        result.AddError($"--budget '{text}' is not a positive number of alerts per day (examples: 5, 5-per-day, 0.5/day)");
        return 0;
    }
}
