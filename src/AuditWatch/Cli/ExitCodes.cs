namespace AuditWatch.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int UnreadableInput = 1;
    public const int UsageOrRules = 2;
}
