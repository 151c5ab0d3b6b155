using AuditWatch.Cli;

namespace AuditWatch.Hosting;

/// <summary>The <c>Output</c> section: alerts on the console.</summary>
public sealed class OutputSettings
{
    public const string Section = "Output";

    /// <summary>text for people; jsonl for one JSON object per alert per line on stdout and nothing else.</summary>
    public OutputFormat Format { get; set; } = OutputFormat.Text;
}
