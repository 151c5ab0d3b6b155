namespace AuditWatch.Hosting;

/// <summary>What <c>/readyz</c> reports: rules loaded and every configured source started.</summary>
public sealed class Readiness
{
    private volatile bool _detection;
    private volatile bool _files = true;

    public int RuleCount { get; init; }

    public bool DetectionStarted { get => _detection; set => _detection = value; }

    public bool FilesStarted { get => _files; set => _files = value; }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!DetectionStarted)
        {
            problems.Add("detection has not started");
        }

        if (!FilesStarted)
        {
            problems.Add("file sources have not started");
        }

        return problems;
    }
}
