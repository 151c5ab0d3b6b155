using System.Reactive.Linq;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditWatch.Hosting;

/// <summary>
/// Hot reload: checks the rules directory every few seconds; a changed, valid rule set replaces the running one (rules
/// that did not change keep their windows and incidents), an invalid one is rejected with its errors logged and the
/// previous rules kept. Every reload is logged with what changed and counted. A change is taken only once the
/// directory looked the same twice in a row: an editor or a deploy that writes files in place, or several files one
/// after another, is otherwise caught half way (a truncated rule rejected, or applied until the next look). Each look
/// reads the files once, and a settled change is loaded from the texts that were compared.
/// </summary>
/// <param name="initialSources">The files <paramref name="initial"/> was loaded from.</param>
public sealed partial class RuleReloader(RuleSources initialSources, RuleSet initial, TimeProvider time, ILogger<RuleReloader> logger) : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);
    private readonly string _directory = initialSources.Root;
    private IReadOnlyList<Rule> _current = initial.Enabled;
    private IReadOnlyDictionary<string, Rule> _running = RuleChange.Between(new Dictionary<string, Rule>(), initial.Enabled).Current;
    private string _fingerprint = initialSources.Fingerprint;
    private string? _unsettled;
    private long _applied;
    private long _rejected;
    private long _unreadable;
    private string? _unreadableReason;

    private event Action<IReadOnlyList<Rule>>? Changed;

    public long Applied => Interlocked.Read(ref _applied);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Looks at the directory that could not read it (a file gone between listing and reading, a dangling link).</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>The current rules, then every rule set applied later.</summary>
    public IObservable<IReadOnlyList<Rule>> RuleSets => Observable.Defer(() =>
        Observable.FromEvent<IReadOnlyList<Rule>>(h => Changed += h, h => Changed -= h).StartWith(_current));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(CheckEvery, time, stoppingToken);
                CheckOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reloads when the directory's files changed since the applied set and did not change since the last look.</summary>
    public void CheckOnce()
    {
        try
        {
            CheckSettled();
            _unreadableReason = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A ConfigMap update swaps its files under the reader; thrown out of here it would stop the service.
            _unsettled = null;
            Interlocked.Increment(ref _unreadable);
            if (ex.Message != _unreadableReason)
            {
                // Once per cause, not every 2 s while a broken link stays.
                _unreadableReason = ex.Message;
                LogUnreadable(logger, _directory, ex.Message);
            }
        }
    }

    private void CheckSettled()
    {
        var sources = RuleSources.Read(_directory);
        var fingerprint = sources.Fingerprint;
        if (fingerprint == _fingerprint)
        {
            _unsettled = null;
            return;
        }

        if (fingerprint != _unsettled)
        {
            // Changed since the last look: taken at the next look if it stays so.
            _unsettled = fingerprint;
            return;
        }

        var set = sources.Load();
        _fingerprint = fingerprint;
        _unsettled = null;
        if (!set.IsValid)
        {
            Interlocked.Increment(ref _rejected);
            LogRejected(logger, set.Errors.Count, string.Join("\n", set.Errors.Select(e => e.ToString())));
            return;
        }

        // The same comparison the pipeline makes, so the log says exactly what restarted.
        (_running, var changes) = RuleChange.Between(_running, set.Enabled);
        var started = changes.Where(c => c.Started).Select(c => c.Rule.Id).ToHashSet(StringComparer.Ordinal);
        var stopped = changes.Where(c => !c.Started).Select(c => c.Rule.Id).ToHashSet(StringComparer.Ordinal);
        _current = set.Enabled;
        Interlocked.Increment(ref _applied);
        LogApplied(
            logger,
            Describe(started.Except(stopped)),
            Describe(stopped.Except(started)),
            Describe(started.Intersect(stopped)),
            _current.Count - started.Count);
        Changed?.Invoke(_current);
    }

    private static string Describe(IEnumerable<string> ids) =>
        string.Join(", ", ids.Order(StringComparer.Ordinal)) is { Length: > 0 } list ? list : "none";

    [LoggerMessage(Level = LogLevel.Information, Message = "rules reloaded: added {Added}; removed {Removed}; changed {Changed}; {Unchanged} unchanged keep their state")]
    private static partial void LogApplied(ILogger logger, string added, string removed, string changed, int unchanged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rules directory {Directory} could not be read ({Reason}); the previous rules stay in force, looking again")]
    private static partial void LogUnreadable(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "rules change rejected ({Count} error(s)); the previous rules stay in force:\n{Errors}")]
    private static partial void LogRejected(ILogger logger, int count, string errors);
}
