using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Engine;

namespace AuditWatch.Detection.Detectors;

/// <summary><c>kind: first_seen</c>: a key tuple the rule has never seen, once its learning period is over.</summary>
internal sealed class FirstSeenDetector(SharedByGroups shared, string groupKey)
    : GroupDetector(shared, groupKey)
{
    private readonly string?[] _lastValues = new string?[shared.Rule.Key.Count];
    private bool _lastRemembered;

    protected override TimeSpan QuietPeriod => Rule.Suppress;

    public override void Observe(RuleInput input, List<Alert> output)
    {
        var request = input.Request;
        var triggered = !SameAsLastAndRemembered(request) && Learn(request);
        if (triggered || IncidentOpen)
        {
            Incident.Record(output, request, triggered);
        }
    }

    /// <summary>An identity mostly repeats its last tuple: then there is nothing to learn and nothing to hash.</summary>
    private bool SameAsLastAndRemembered(ApiRequest request)
    {
        if (!_lastRemembered)
        {
            return false;
        }

        for (var i = 0; i < _lastValues.Length; i++)
        {
            if (!string.Equals(_lastValues[i], Rule.Key[i].First(request), StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private bool Learn(ApiRequest request)
    {
        for (var i = 0; i < _lastValues.Length; i++)
        {
            _lastValues[i] = Rule.Key[i].First(request);
        }

        return Shared.FirstSeen.Observe(_lastValues, request.Time, out _lastRemembered);
    }
}
