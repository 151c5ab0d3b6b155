using System.Text;
using System.Text.Json;
using AuditWatch.Rules.Model;

namespace AuditWatch.RuleTools;

internal static class TuneOutput
{
    public static string Table(IReadOnlyList<TuneReport> reports, double budget)
    {
        var text = new StringBuilder();
        foreach (var report in reports)
        {
            var sigma = report.Format == RuleFormat.Sigma ? $" Sigma \"{report.Title}\"" : string.Empty;
            text.AppendLine($"== {report.Rule} ({report.Kind}{sigma}): {report.Incidents} incident(s)"
                + (report.BySeverity.Count > 0 ? " — " + string.Join(", ", report.BySeverity.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Value} {s.Key}")) : string.Empty));
            foreach (var (user, count) in report.TopIdentities)
            {
                text.AppendLine($"   {count,4}  {user}");
            }

            if (report.Measured is { } m)
            {
                text.AppendLine($"   {m.Measure} per group per {m.Window}: n={m.Count} p50={m.P50} p90={m.P90} p99={m.P99} max={m.Max}");
                text.AppendLine($"   suggested threshold for at most {budget} alert(s)/day: {report.SuggestedThreshold}");
            }

            if (report.CandidateExclusions.Count > 0)
            {
                text.AppendLine(report.Format == RuleFormat.Sigma
                    ? "   candidate exclusions (Sigma filter selections):"
                    : "   candidate exclusions (paste under except:):");
                foreach (var line in report.CandidateExclusions.SelectMany(e => e.Split('\n')))
                {
                    text.AppendLine("     " + line);
                }
            }
        }

        return text.ToString();
    }

    public static string Json(IReadOnlyList<TuneReport> reports) => JsonSerializer.Serialize(
        reports.Select(r => new
        {
            rule = r.Rule,
            title = r.Title,
            format = r.Format == RuleFormat.Sigma ? "sigma" : "native",
            kind = r.Kind,
            incidents = r.Incidents,
            bySeverity = r.BySeverity,
            topIdentities = r.TopIdentities.Select(t => new { user = t.User, incidents = t.Incidents }),
            measured = r.Measured is { } m ? new { measure = m.Measure, window = m.Window, count = m.Count, p50 = m.P50, p90 = m.P90, p99 = m.P99, max = m.Max } : null,
            suggestedThreshold = r.SuggestedThreshold,
            candidateExclusions = r.CandidateExclusions,
        }),
        new JsonSerializerOptions { WriteIndented = true });
}
