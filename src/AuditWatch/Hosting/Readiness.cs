namespace AuditWatch.Hosting;

/// <summary>What <c>/readyz</c> reports: rules loaded and every configured source started.</summary>
public sealed class Readiness
{
    private volatile bool _detection;
    private volatile bool _files = true;
    private volatile bool _failed;

    public int RuleCount { get; init; }

    public bool DetectionStarted { get => _detection; set => _detection = value; }

    public bool FilesStarted { get => _files; set => _files = value; }

    /// <summary>A detection pipeline failed: the service is stopping and exits with an error.</summary>
    public bool DetectionFailed { get => _failed; set => _failed = value; }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!DetectionStarted)
        {
            problems.Add("detection has not started");
        }

        if (DetectionFailed)
        {
            problems.Add("detection failed");
        }

        if (!FilesStarted)
        {
            problems.Add("file sources have not started");
        }

        return problems;
    }
}
