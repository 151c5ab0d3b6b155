using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AuditWatch.Detection.Evidence;

/// <summary>Incident identity from rule, group key and start time only, so live, replay and a restarted detector agree.</summary>
public static class IncidentIds
{
    public static string For(string ruleId, string groupKey, DateTimeOffset start)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{ruleId}\n{groupKey}\n{start.UtcTicks}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
