using AuditWatch.Core.Alerts;

namespace AuditWatch.Rules.Model;

public static class SeverityNames
{
    public static bool TryParse(string text, out Severity severity)
    {
        foreach (var candidate in Enum.GetValues<Severity>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.Ordinal) || candidate.ToString().ToLowerInvariant() == text)
            {
                severity = candidate;
                return true;
            }
        }

        severity = default;
        return false;
    }
}
