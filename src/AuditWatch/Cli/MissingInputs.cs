using AuditWatch.Ingestion.Sources.Files;

namespace AuditWatch.Cli;

/// <summary>Input files checked before anything is read, so a typo fails at once with the path named.</summary>
internal static class MissingInputs
{
    /// <summary>Writes one error per path that does not exist; true when there was any.</summary>
    public static async Task<bool> ReportAsync(TextWriter stderr, IEnumerable<string> paths)
    {
        var missing = AuditFileSource.Unreadable(paths);
        foreach (var path in missing)
        {
            await stderr.WriteLineAsync($"error: cannot read {path}: no such file");
        }

        return missing.Count > 0;
    }
}
