using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// One group's incident for one rule: fires once, sends a "still going" update at most once per suppression period
/// (or at once when the severity escalates), and resolves with its final tally after a quiet period.
/// </summary>
internal sealed class IncidentTracker(Rule rule, string groupKey, TimeSpan quietPeriod)
{
    private IncidentEvidence? _open;
    private DateTimeOffset _lastNotified;
    private Severity _notifiedSeverity;
    private int _suppressed;

    public bool IsOpen => _open is not null;

    /// <summary>
    /// Records a request the rule applies to, in event-time order. <paramref name="triggered"/> says whether it met the
    /// rule's condition; <paramref name="seed"/> is the evidence that led up to it (the window's contents).
    /// </summary>
    public void Record(List<Alert> output, ApiRequest request, bool triggered, IEnumerable<ApiRequest>? seed = null)
    {
        if (_open is not null && request.Time - _open.LastSeen > quietPeriod)
        {
            output.Add(Resolve());
        }

        if (_open is not null)
        {
            _open.Add(request);
            var severity = SeverityOf(_open);
            if (severity > _notifiedSeverity || request.Time - _lastNotified >= rule.Suppress)
            {
                output.Add(Notify(AlertStatus.Update, request.Time));
            }
            else if (triggered)
            {
                _suppressed++;
            }

            return;
        }

        if (!triggered)
        {
            return;
        }

        _open = new IncidentEvidence(request, request.Identity.Username);
        foreach (var earlier in seed ?? [])
        {
            if (!ReferenceEquals(earlier, request))
            {
                _open.Add(earlier);
            }
        }

        _open.Add(request);
        output.Add(Notify(AlertStatus.Firing, request.Time));
    }

    /// <summary>Ends the open incident, if any, with its final tally.</summary>
    public Alert? Close() => _open is null ? null : Resolve();

    private Alert Resolve()
    {
        var resolved = Notify(AlertStatus.Resolved, _open!.LastSeen);
        _open = null;
        return resolved;
    }

    private Alert Notify(AlertStatus status, DateTimeOffset now)
    {
        var incident = _open!;
        var severity = SeverityOf(incident);
        var alert = incident.ToAlert(rule, groupKey, severity, status, _suppressed, IncidentSummary.For(rule, incident));
        _lastNotified = now;
        _notifiedSeverity = severity;
        _suppressed = 0;
        return alert;
    }

    private Severity SeverityOf(IncidentEvidence incident) =>
        rule.SeverityFor(incident.Count, incident.DistinctObjects, incident.DistinctNamespaces);
}
