using System.Globalization;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Detectors.DistinctReads;

/// <summary>One identity's window state and open incident for the distinct-Secret-read rule.</summary>
internal sealed class DistinctReadsState(DistinctReadsOptions options, AlertHeader header, string user)
{
    private readonly RecentDistinctObjects _recent = new(options.Threshold);
    private IncidentEvidence? _incident;
    private DateTimeOffset _lastNotified;
    private int _suppressed;

    /// <summary>Takes the identity's next Secret read (in event-time order); returns the alerts it causes.</summary>
    public IReadOnlyList<Alert> Observe(ApiRequest request)
    {
        _recent.Touch(request.SecretRead!.ObjectKey, request);
        var windowStart = request.Time - options.Window;
        var ended = _incident is not null && request.Time - _incident.LastSeen > options.Window ? Close() : null;

        var overThreshold = _recent.CountSince(windowStart) >= options.Threshold;
        if (_incident is not null)
        {
            _incident.Add(request);
            if (request.Time - _lastNotified < options.Suppression)
            {
                if (overThreshold)
                {
                    _suppressed++;
                }

                return [];
            }

            return [Notify(AlertStatus.Update, request.Time)];
        }

        if (!overThreshold)
        {
            return ended is null ? [] : [ended];
        }

        _incident = new IncidentEvidence(request);
        foreach (var read in _recent.Since(windowStart))
        {
            _incident.Add(read);
        }

        var firing = Notify(AlertStatus.Firing, request.Time);
        return ended is null ? [firing] : [ended, firing];
    }

    /// <summary>Ends the open incident, if any, with its final tally.</summary>
    public Alert? Close()
    {
        if (_incident is null)
        {
            return null;
        }

        var resolved = Notify(AlertStatus.Resolved, _incident.LastSeen);
        _incident = null;
        return resolved;
    }

    private Alert Notify(AlertStatus status, DateTimeOffset now)
    {
        var incident = _incident!;
        var alert = incident.ToAlert(header, user, status, _suppressed, Summarize(incident));
        _lastNotified = now;
        _suppressed = 0;
        return alert;
    }

    private string Summarize(IncidentEvidence incident)
    {
        var who = incident.ImpersonatedUser is null ? user : $"{user} (as {incident.ImpersonatedUser})";
        var span = incident.LastSeen - incident.FirstSeen;
        var outcomes = incident.Outcomes;
        var probing = outcomes.Denied + outcomes.NotFound > 0
            ? $", {outcomes.Denied} denied and {outcomes.NotFound} not found"
            : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{who} read {incident.DistinctObjects} distinct Secrets in {incident.DistinctNamespaces} namespace(s) within {Describe(span)} ({incident.Count} reads{probing}); the rule fires at {options.Threshold} distinct within {Describe(options.Window)}.");
    }

    private static string Describe(TimeSpan span) => span.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min");
}
