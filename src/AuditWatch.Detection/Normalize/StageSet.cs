namespace AuditWatch.Detection.Normalize;

/// <summary>The stages of one request seen so far.</summary>
[Flags]
internal enum StageSet : byte
{
    ResponseStarted = 1,
    ResponseComplete = 2,
    Panic = 4,
}
