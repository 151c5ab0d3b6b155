namespace AuditWatch.Cli;

public enum OutputFormat
{
    Text,
    Jsonl,
}
