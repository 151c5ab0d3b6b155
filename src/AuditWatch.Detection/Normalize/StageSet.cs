using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Normalize;

/// <summary>The stages of one request seen so far.</summary>
[Flags]
internal enum StageSet : byte
{
    None = 0,
    ResponseStarted = 1,
    ResponseComplete = 2,
    Panic = 4,
}

internal static class StageSets
{
    public static StageSet Of(AuditStage stage) => stage switch
    {
        AuditStage.ResponseStarted => StageSet.ResponseStarted,
        AuditStage.ResponseComplete => StageSet.ResponseComplete,
        _ => StageSet.Panic,
    };
}
