namespace AuditWatch.Cli;

/// <summary>Where rules come from when no directory is named: ./rules if it exists, else the pack shipped beside the executable.</summary>
internal static class RulesDirectory
{
    public static string Resolve(string? given)
    {
        if (given is not null)
        {
            return given;
        }

        return Directory.Exists("rules") ? "rules" : Path.Combine(AppContext.BaseDirectory, "rules");
    }
}
