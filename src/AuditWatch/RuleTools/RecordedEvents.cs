using System.Reactive.Linq;
using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Sources.Files;

namespace AuditWatch.RuleTools;

/// <summary>Decodes recorded audit logs (plain, gzip or "-") into memory for the rule tools, which run the same events more than once.</summary>
internal static class RecordedEvents
{
    public static Task<List<AuditEvent>> LoadAsync(IReadOnlyList<string> paths, TextWriter stderr, CancellationToken cancellationToken) =>
        LoadAsync(paths, stderr, new ReadProgress(), () => { }, cancellationToken);

    public static async Task<List<AuditEvent>> LoadAsync(
        IReadOnlyList<string> paths, TextWriter stderr, ReadProgress progress, Action onEvent, CancellationToken cancellationToken)
    {
        var events = new List<AuditEvent>();
        var source = new AuditFileSource(new AuditStreamDecoder(), Console.OpenStandardInput);
        await source.Read(paths, progress).ForEachAsync(
            result =>
            {
                if (result.Event is { } decoded)
                {
                    events.Add(decoded);
                    onEvent();
                }
                else
                {
                    stderr.WriteLine($"skipped {result.Error}");
                }
            },
            cancellationToken);
        return events;
    }
}
