using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.RuleTools;

/// <summary>Decodes recorded audit logs into memory for the rule tools, which run the same events more than once.</summary>
internal static class RecordedEvents
{
    public static async Task<List<AuditEvent>> LoadAsync(IEnumerable<string> paths, TextWriter stderr, CancellationToken cancellationToken)
    {
        var events = new List<AuditEvent>();
        var decoder = new AuditStreamDecoder();
        foreach (var path in paths)
        {
            await using var stream = File.OpenRead(path);
            await foreach (var result in decoder.DecodeAsync(stream, path, cancellationToken))
            {
                if (result.Event is { } decoded)
                {
                    events.Add(decoded);
                }
                else
                {
                    await stderr.WriteLineAsync($"skipped {result.Error}");
                }
            }
        }

        return events;
    }
}
