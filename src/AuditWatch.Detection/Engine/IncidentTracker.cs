using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Evidence;
using AuditWatch.Detection.Pipeline;
using AuditWatch.Rules.Model;

namespace AuditWatch.Detection.Engine;

/// <summary>
/// One group's incident for one rule: fires once, sends a "still going" update at most once per suppression period
/// (or at once when the severity escalates), and resolves with its final tally after a quiet period.
/// </summary>
internal sealed class IncidentTracker(Rule rule, string groupKey, TimeSpan quietPeriod, ReplayProgress replay)
{
    private IncidentEvidence? _open;
    private DateTimeOffset _lastNotified;
    private Severity _notifiedSeverity;
    private int _suppressed;

    // An incident all of whose evidence was replayed was already raised (and perhaps resolved) by the previous owner.
    private bool _hasLiveEvidence;

    public bool IsOpen => _open is not null;

    /// <summary>Whether a triggering request would open a new incident: seed evidence is worth gathering only then.</summary>
    public bool WouldOpen(ApiRequest request) => _open is null || request.Time - _open.LastSeen > quietPeriod;

    /// <summary>
    /// Records a request the rule applies to, in event-time order. <paramref name="triggered"/> says whether it met the
    /// rule's condition; <paramref name="seed"/> is the evidence that led up to it (the window's contents).
    /// </summary>
    public void Record(List<Alert> output, ApiRequest request, bool triggered, IEnumerable<EvidenceItem>? seed = null)
    {
        if (_open is not null && request.Time - _open.LastSeen > quietPeriod)
        {
            Emit(output, Resolve(), muted: !_hasLiveEvidence && !replay.LiveStarted);
        }

        if (_open is not null)
        {
            _open.Add(request);
            _hasLiveEvidence |= !request.Replayed;
            var severity = SeverityOf(_open);
            if (severity > _notifiedSeverity || request.Time - _lastNotified >= rule.Suppress)
            {
                Emit(output, Notify(AlertStatus.Update, request.Time), muted: request.Replayed);
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
            if (!earlier.IsOf(request))
            {
                _open.Add(earlier);
            }
        }

        _open.Add(request);
        _hasLiveEvidence = !request.Replayed;
        Emit(output, Notify(AlertStatus.Firing, request.Time), muted: request.Replayed);
    }

    /// <summary>Ends the open incident, if any, with its final tally (nothing when it was only ever replayed).</summary>
    public Alert? Close()
    {
        if (_open is null)
        {
            return null;
        }

        var report = _hasLiveEvidence || replay.LiveStarted;
        var resolved = Resolve();
        return report ? resolved : null;
    }

    /// <summary>A muted notice still updates the incident's state (last notice, severity), as if it had been sent.</summary>
    private static void Emit(List<Alert> output, Alert alert, bool muted)
    {
        if (!muted)
        {
            output.Add(alert);
        }
    }

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
