namespace AuditWatch.Ingestion.Tests;

/// <summary>
/// Tests that assert two look-ups share one object run alone: the caches are process-wide, and another test class
/// decoding at the same moment could take the slot between the two look-ups.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCaches
{
    public const string Name = "process-wide caches";
}
