using System.Reactive.Linq;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Streams;

namespace AuditWatch.Ingestion.Sources.Files;

/// <summary>Recorded audit logs (plain or gzip, any shape the decoder reads; "-" for stdin) as one stream of results.</summary>
public sealed class AuditFileSource(AuditStreamDecoder decoder, Func<Stream> openStandardInput)
{
    public const string StandardInput = "-";

    /// <summary>Paths that cannot be opened: checked before anything is read, so a typo fails fast.</summary>
    public static IReadOnlyList<string> Unreadable(IEnumerable<string> paths) =>
        [.. paths.Where(p => p != StandardInput && !File.Exists(p))];

    /// <summary>Reads the files one after the other, in the order given.</summary>
    public IObservable<DecodeResult> Read(IReadOnlyList<string> paths, ReadProgress progress) =>
        Observable.Create<DecodeResult>(async (observer, cancellationToken) =>
        {
            foreach (var path in paths.Where(p => p != StandardInput))
            {
                progress.AddTotal(new FileInfo(path).Length);
            }

            foreach (var path in paths)
            {
                progress.CurrentSource = path;
                await using var stream = new CountingReadStream(Open(path), progress);
                await foreach (var result in decoder.DecodeAsync(stream, path, cancellationToken).ConfigureAwait(false))
                {
                    observer.OnNext(result);
                }
            }

            observer.OnCompleted();
        });

    private Stream Open(string path) => path == StandardInput
        ? openStandardInput()
        : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
}
