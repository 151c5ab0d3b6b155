using System.Text;
using System.Text.RegularExpressions;

namespace AuditWatch.Fuzzing.Targets;

/// <summary>
/// What one run may allocate. Linear in the input with a fixed 1 MiB for warm caches and small tables: decoding
/// allocates about 10-60 bytes per input byte, rule loading (YAML nodes, diagnostics, regexes) up to about 800.
/// An exponential case (an alias bomb walked, a regex per glob, a gzip bomb) breaks these bounds by orders of magnitude.
/// </summary>
public static partial class AllocationBudgets
{
    public const long Fixed = 1024 * 1024;

    /// <summary>What one expanded test event costs while rule tests load, plus its share of the fields' length.</summary>
    public const long PerTestEvent = 4 * 1024;

    public static long Json(byte[] input) => 64L * input.Length + Fixed;

    /// <summary>
    /// Rule tests may repeat an event (<c>repeat: N</c>, at most 10,000 per rule, see CompactEventReader.MaxEvents):
    /// each repetition is allowed for, scaled by the length of the line that declares it (its fields are copied).
    /// </summary>
    public static long Yaml(byte[] input)
    {
        long allowance = 0;
        foreach (Match match in Repeat().Matches(Encoding.UTF8.GetString(input)))
        {
            var events = long.TryParse(match.Groups["n"].ValueSpan, out var n) ? Math.Min(n, 10_000) : 10_000;
            allowance += events * (PerTestEvent + (128L * match.Value.Length));
        }

        return 1024L * input.Length + Fixed + allowance;
    }

    [GeneratedRegex(@"[^\n]*repeat\s*:\s*[""']?(?<n>\d{1,9})[^\n]*", RegexOptions.CultureInvariant)]
    private static partial Regex Repeat();
}
