namespace AuditWatch.Ingestion.Sources.Files;

/// <summary>The <c>Sources:Files</c> section: audit log files to tail as the apiserver writes them.</summary>
public sealed class FileSourceOptions
{
    public const string Section = "Sources:Files";

    public List<string> Paths { get; set; } = [];

    /// <summary>How often a file is checked for new lines and rotation.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
