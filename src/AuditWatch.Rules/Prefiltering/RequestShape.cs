namespace AuditWatch.Rules.Prefiltering;

/// <summary>A shape seen by one pipeline, numbered densely so that each rule can keep its verdicts in an array.</summary>
public sealed class RequestShape(int id)
{
    /// <summary>Stands for every shape past the cache's capacity: its requests are judged in full.</summary>
    public static readonly RequestShape Unnumbered = new(-1);

    public int Id { get; } = id;
}
