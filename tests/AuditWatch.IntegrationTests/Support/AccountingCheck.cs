using System.Globalization;
using System.Text.RegularExpressions;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// Checks from /metrics, as an operator's dashboard would, that every item is accounted for: items received are
/// decoded or rejected; events decoded went through detection (as requests or ignored stages), were handed back or
/// forwarded; requests were evaluated or late; alert notices were routed, unrouted or silenced, and each notice bound
/// for a sink was delivered, dead-lettered, superseded, left unsent (resolved) or lost. Waits until nothing is in
/// flight first.
/// </summary>
internal static partial class AccountingCheck
{
    public static async Task<Samples> AssertBalancedAtRestAsync(HttpClient client, Uri baseAddress, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        Samples samples;
        while (true)
        {
            samples = Samples.Parse(await client.GetStringAsync(new Uri(baseAddress, "/metrics")));
            if (samples.InFlight == 0 && Problems(samples).Count == 0)
            {
                return samples;
            }

            if (DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        var problems = Problems(samples);
        if (samples.InFlight != 0)
        {
            problems.Add($"still in flight after the wait: queued {samples.Sum("auditwatch_queue_depth_events")}, waiting {samples.Sum("auditwatch_requests_waiting")}, pending {samples.Sum("auditwatch_sink_alerts_pending")}");
        }

        throw new Xunit.Sdk.XunitException("accounting does not balance:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// The service's own accounting, logged once everything stopped (after SIGTERM): it must balance with nothing left
    /// in flight. Returns each balance's terms by name ("events to detection" → "requests" → 120, …; "=" is its count).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> AssertBalancedAtStop(AuditWatchProcess service)
    {
        var line = service.Stderr.Split('\n').LastOrDefault(l => l.Contains("accounting at stop", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException("no accounting line at stop in the service's log:\n" + service.Stderr);
        if (line.Contains("does not balance", StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException("accounting at stop: " + line);
        }

        var balances = new Dictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        const string Marker = "accounting at stop: ";
        foreach (var balance in line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Split("; "))
        {
            var match = Balance().Match(balance);
            var terms = Term().Matches(match.Groups["terms"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
            terms["="] = long.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
            balances[match.Groups["name"].Value] = terms;
        }

        return balances;
    }

    [GeneratedRegex(@"^(?<name>.+?) (?<count>-?\d+) = (?<terms>.*)$")]
    private static partial Regex Balance();

    [GeneratedRegex(@"(?<name>[a-z_ -]+?) (?<count>-?\d+)(?: \+ |$)")]
    private static partial Regex Term();

    private static List<string> Problems(Samples s)
    {
        var problems = new List<string>();
        void Check(string name, double left, double right)
        {
            if (left != right)
            {
                problems.Add($"{name}: {left} != {right}");
            }
        }

        foreach (var source in s.LabelValues("auditwatch_events_received_total", "source"))
        {
            Check(
                $"received{{{source}}} = decoded + rejected",
                s.Sum("auditwatch_events_received_total", ("source", source)),
                s.Sum("auditwatch_events_decoded_total", ("source", source)) + s.Sum("auditwatch_events_rejected_total", ("source", source)));
        }

        Check(
            "decoded + replayed = requests + stages ignored + handed back + forwarded + queued",
            s.Sum("auditwatch_events_decoded_total") + s.Sum("auditwatch_events_replayed_total"),
            s.Sum("auditwatch_requests_total") + s.Sum("auditwatch_stages_ignored_total") + s.Sum("auditwatch_events_handed_back_total")
                + s.Sum("auditwatch_kafka_produced_total") + s.Sum("auditwatch_queue_depth_events"));
        Check(
            "requests = evaluated + late + stamped ahead + abandoned + waiting",
            s.Sum("auditwatch_requests_total"),
            s.Sum("auditwatch_requests_evaluated_total") + s.Sum("auditwatch_late_events_total") + s.Sum("auditwatch_requests_stamped_ahead_total")
                + s.Sum("auditwatch_requests_abandoned_total") + s.Sum("auditwatch_requests_waiting"));
        Check(
            "alert notices = routed + unrouted + silenced",
            s.Sum("auditwatch_alerts_total"),
            s.Sum("auditwatch_alerts_routed_total") + s.Sum("auditwatch_alerts_unrouted_total") + s.Sum("auditwatch_alerts_silenced_total"));
        foreach (var sink in s.LabelValues("auditwatch_sink_alerts_routed_total", "sink"))
        {
            Check(
                $"notices for {sink} = delivered + dead-lettered + superseded + unsent resolved + lost + pending",
                s.Sum("auditwatch_sink_alerts_routed_total", ("sink", sink)),
                s.Sum("auditwatch_sink_alerts_ended_total", ("sink", sink)) + s.Sum("auditwatch_sink_alerts_pending", ("sink", sink)));
        }

        return problems;
    }

    /// <summary>One scrape: metric name, its labels and value per sample.</summary>
    internal sealed partial class Samples(List<(string Name, Dictionary<string, string> Labels, double Value)> all)
    {
        public double InFlight => Sum("auditwatch_queue_depth_events") + Sum("auditwatch_requests_waiting") + Sum("auditwatch_sink_alerts_pending");

        public static Samples Parse(string text)
        {
            var all = new List<(string, Dictionary<string, string>, double)>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var match = Sample().Match(line);
                if (!match.Success)
                {
                    continue;
                }

                var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
                all.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }

            return new Samples(all);
        }

        public double Sum(string name, params (string Label, string Value)[] where) =>
            all.Where(s => s.Name == name && where.All(w => s.Labels.GetValueOrDefault(w.Label) == w.Value)).Sum(s => s.Value);

        public IEnumerable<string> LabelValues(string name, string label) =>
            all.Where(s => s.Name == name && s.Labels.ContainsKey(label)).Select(s => s.Labels[label]).Distinct();

        [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
        private static partial Regex Sample();

        [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
        private static partial Regex Label();
    }
}
