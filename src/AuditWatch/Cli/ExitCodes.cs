namespace AuditWatch.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int UnreadableInput = 1;
    public const int UsageOrRules = 2;

    /// <summary>The live service stopped because a part of it failed (see its log); restarting it resumes.</summary>
    public const int ServiceFailed = 3;

    /// <summary>
    /// Replay, <c>rules diff</c>, <c>tune</c>: a rule threw on some requests and started over (named on stderr); the other
    /// rules' results are whole.
    /// </summary>
    public const int RuleFailed = 4;
}
