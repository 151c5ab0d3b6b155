using Microsoft.Extensions.Logging;

namespace AuditWatch.Hosting;

/// <summary>What the service says when detection state (first_seen memories) stops being written.</summary>
internal static partial class StateWriteLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "detection state {Path} could not be written ({Error}); it is kept in memory, and a restart now would forget what was learned since")]
    public static partial void Failed(ILogger logger, string path, string error);
}
