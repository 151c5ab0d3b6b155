using System.Text.RegularExpressions;

namespace AuditWatch.Rules.Conditions;

/// <summary>A regex test that counts a timeout as no match (and in <see cref="RegexTimeouts"/>), so one pathological value cannot stop the stream.</summary>
internal static class SafeRegex
{
    public static bool IsMatch(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            RegexTimeouts.Add();
            return false;
        }
    }
}
