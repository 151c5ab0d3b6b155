using AuditWatch.Core.Events;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Queue;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Ingestion.Sources.Files;

/// <summary>
/// Follows one audit log file as the apiserver writes it: only complete lines are decoded (a partial last line waits),
/// a rename rotation is followed by inode (the old file is read to its end before the new one is opened), and the
/// position is saved once detection has evaluated the lines (the watermark passed them; in forwarder mode, once Kafka
/// acknowledged them), so a restart resumes at the first line not yet judged: it repeats at most what was still
/// waiting, and loses only what a rotation took away meanwhile (a rotated file deleted or compressed before the restart).
/// </summary>
public sealed partial class AuditLogTailer(
    string path,
    FilePositionStore positions,
    AuditStreamDecoder decoder,
    IngestQueue queue,
    IngestCounters counters,
    TimeProvider time,
    ILogger logger)
{
    public const string SourceName = "file";
    private const int ChunkBytes = 1024 * 1024;

    // A chunk of small events (under about 590 B each) holds more than this; one batch of them would make its event
    // array a large-object allocation (48 B an event, 85,000 B and up) on every chunk, collected only with gen2.
    private const int MaxBatchEvents = 1_024;

    // Saved by detection's thread once it evaluated a batch; logged on the change only, not for every batch of a full disk.
    private volatile bool _positionsFailing;

    // One list for every chunk read: the results of a 1 MB chunk would otherwise be a new large-object array each time.
    private readonly List<DecodeResult> _results = [];

    // The batches of one chunk, handed to the queue together.
    private readonly List<EventBatch> _batches = [];

    public async Task RunAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        OpenFile? current = null;
        try
        {
            await FinishRotatedFileAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                current ??= OpenCurrent();
                if (current is not null)
                {
                    if (await ReadAvailableAsync(current, cancellationToken))
                    {
                        continue;
                    }

                    if (FileIdentity.Of(path) != current.Inode)
                    {
                        // Rotated: whatever was written before the rename is still in the old file.
                        while (await ReadAvailableAsync(current, cancellationToken))
                        {
                        }

                        LogRotated(logger, path);
                        current.Dispose();
                        current = null;
                        continue;
                    }
                }

                await Task.Delay(poll, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            current?.Dispose();
        }
    }

    /// <summary>After a restart: if the saved file was rotated away meanwhile, read the rest of it first.</summary>
    private async Task FinishRotatedFileAsync(CancellationToken cancellationToken)
    {
        if (positions.Get(path) is not { } saved || FileIdentity.Of(path) == saved.Inode)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var rotated = Directory.EnumerateFiles(directory).FirstOrDefault(f => FileIdentity.Of(f) == saved.Inode);
        if (rotated is null)
        {
            LogRotatedAway(logger, path, saved.Offset);
            return;
        }

        using var old = OpenFile.At(rotated, saved);
        while (await ReadAvailableAsync(old, cancellationToken))
        {
        }
    }

    private OpenFile? OpenCurrent()
    {
        try
        {
            var inode = FileIdentity.Of(path);
            if (inode is null)
            {
                return null;
            }

            var saved = positions.Get(path);
            return OpenFile.At(path, saved is not null && saved.Inode == inode ? saved : new FilePosition(inode.Value, 0, 1));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCannotOpen(logger, path, ex.Message);
            return null;
        }
    }

    /// <summary>Reads what is there, hands its complete lines to detection; false when nothing new was read.</summary>
    private async Task<bool> ReadAvailableAsync(OpenFile file, CancellationToken cancellationToken)
    {
        var read = await file.ReadAsync(ChunkBytes, cancellationToken);
        if (read == 0)
        {
            return false;
        }

        var complete = file.TakeCompleteLines();
        if (complete.Length == 0)
        {
            return true;
        }

        _results.Clear();
        decoder.DecodeInto(complete.Span, file.Path, _results, file.Line);
        var next = file.Advance(complete);
        _batches.Clear();
        var events = new List<AuditEvent>(Math.Min(_results.Count, MaxBatchEvents));
        var decodedCount = 0;
        for (var i = 0; i < _results.Count; i++)
        {
            if (_results[i].Event is not { } decoded)
            {
                var error = _results[i].Error!;
                counters.RecordRejected(SourceName, error.Kind);
                LogRejected(logger, error.ToString());
                continue;
            }

            if (events.Count == MaxBatchEvents)
            {
                _batches.Add(new EventBatch(events, SourceName));
                events = new List<AuditEvent>(Math.Min(_results.Count - i, MaxBatchEvents));
            }

            events.Add(decoded);
            decodedCount++;
        }

        void Save()
        {
            var error = positions.Save(path, next);
            if (error is not null)
            {
                counters.RecordPositionWriteFailure();
                if (!_positionsFailing)
                {
                    LogPositionsNotSaved(logger, path, error);
                }
            }
            else if (_positionsFailing)
            {
                LogPositionsSavedAgain(logger, path);
            }

            _positionsFailing = error is not null;
        }

        // The chunk's batches go to detection together or not at all, the last saving the position once detection
        // evaluated them all (a lane takes its batches in order): a stop can never leave half a chunk taken and unsaved.
        // A chunk without events still goes through the queue, so its position is not saved before earlier chunks'.
        _batches.Add(new EventBatch(events, SourceName, Save));
        if (!queue.TryEnqueueAll(_batches))
        {
            // Backpressure: files simply wait for detection to catch up.
            counters.RecordRefused(SourceName);
            if (!await queue.EnqueueWhenRoomAsync(_batches, cancellationToken))
            {
                // The queue closed: nothing more can be handed over, and reading on would only move past lines that
                // no batch carries. Wait for the stop; the position stays where detection last saved it.
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }

        counters.RecordDecoded(SourceName, decodedCount);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "the read position of {Path} could not be saved ({Error}); a restart now would read its events since the last saved position again")]
    private static partial void LogPositionsNotSaved(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "the read position of {Path} is saved again")]
    private static partial void LogPositionsSavedAgain(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path} was rotated; following the new file")]
    private static partial void LogRotated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was rotated and its old file is gone (compressed or deleted) while AuditWatch was down; events after byte {Offset} of it were not read")]
    private static partial void LogRotatedAway(ILogger logger, string path, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot open {Path}: {Reason}")]
    private static partial void LogCannotOpen(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "skipped {Error}")]
    private static partial void LogRejected(ILogger logger, string error);
}
