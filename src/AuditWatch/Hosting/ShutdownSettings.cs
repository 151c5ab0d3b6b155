namespace AuditWatch.Hosting;

/// <summary>The <c>Shutdown</c> section.</summary>
public sealed class ShutdownSettings
{
    public const string Section = "Shutdown";

    /// <summary>How long a SIGTERM may take: stop accepting, drain what was accepted through detection, exit.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
