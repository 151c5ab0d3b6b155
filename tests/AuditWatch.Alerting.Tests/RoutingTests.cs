using AuditWatch.Alerting.Delivery;
using AuditWatch.Alerting.Routing;
using AuditWatch.Alerting.Silences;
using AuditWatch.Core.Alerts;
using AuditWatch.TestSupport;
using Microsoft.Extensions.Configuration;

namespace AuditWatch.Alerting.Tests;

public sealed class RoutingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("auditwatch-routes-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private (AlertDispatcher Dispatcher, DeliveryCounters Counters, SilenceStore Silences) Dispatcher(IConfiguration configuration, ManualClock clock)
    {
        var errors = new List<string>();
        var routes = RouteTable.From(configuration, ["slack", "email", "alertmanager"], errors);
        var silences = new SilenceStore(_data, SilenceOptions.ToSilences(configuration.GetSection("Silences").Get<List<SilenceOptions>>() ?? []), clock, errors);
        Assert.Empty(errors);
        var counters = new DeliveryCounters();
        return (new AlertDispatcher(routes, silences, counters), counters, silences);
    }

    [Fact]
    public void Without_routes_every_alert_goes_to_every_sink_at_once()
    {
        var clock = new ManualClock(Alerts.T0);
        var (dispatcher, _, _) = Dispatcher(Config(), clock);

        dispatcher.Add(Alerts.Make(), clock.GetUtcNow());
        var due = dispatcher.TakeDue(clock.GetUtcNow());

        var (notification, sinks) = Assert.Single(due);
        Assert.Equal(["slack", "email", "alertmanager"], sinks);
        Assert.Equal("i1", notification.First.IncidentId);
    }

    [Fact]
    public void Routes_match_by_rule_severity_and_labels_first_match_wins_unless_continue()
    {
        var clock = new ManualClock(Alerts.T0);
        var (dispatcher, _, _) = Dispatcher(Config(
            ("Routes:0:SeverityAtLeast", "critical"), ("Routes:0:Sinks:0", "email"), ("Routes:0:Continue", "true"),
            ("Routes:1:Rules:0", "secret-read-burst"), ("Routes:1:Labels:mitre_attack", "T1552.007"), ("Routes:1:Sinks:0", "slack"),
            ("Routes:2:Sinks:0", "alertmanager")), clock);

        dispatcher.Add(Alerts.Make(severity: Severity.Critical, incident: "crit"), clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(severity: Severity.High, incident: "high"), clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(rule: "other", severity: Severity.Low, incident: "low"), clock.GetUtcNow());
        var due = dispatcher.TakeDue(clock.GetUtcNow());

        string Sinks(string incident) => string.Join(",", due.Where(d => d.Notification.First.IncidentId == incident).SelectMany(d => d.Sinks).Order(StringComparer.Ordinal));
        Assert.Equal("email,slack", Sinks("crit"));
        Assert.Equal("slack", Sinks("high"));
        Assert.Equal("alertmanager", Sinks("low"));
    }

    [Fact]
    public void Groups_wait_then_send_changes_at_most_every_interval_and_repeat_when_unchanged()
    {
        var clock = new ManualClock(Alerts.T0);
        var (dispatcher, _, _) = Dispatcher(Config(
            ("Routes:0:GroupBy:0", "rule"), ("Routes:0:GroupWait", "00:00:10"), ("Routes:0:GroupInterval", "00:01:00"), ("Routes:0:RepeatInterval", "01:00:00")), clock);

        dispatcher.Add(Alerts.Make(incident: "a"), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(5));
        dispatcher.Add(Alerts.Make(incident: "b", user: "eve"), clock.GetUtcNow());
        Assert.Empty(dispatcher.TakeDue(clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, Assert.Single(dispatcher.TakeDue(clock.GetUtcNow())).Notification.Alerts.Count);

        dispatcher.Add(Alerts.Make(incident: "a", status: AlertStatus.Update), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(dispatcher.TakeDue(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(AlertStatus.Update, Assert.Single(dispatcher.TakeDue(clock.GetUtcNow())).Notification.Alerts.First(a => a.IncidentId == "a").Status);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(dispatcher.TakeDue(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(dispatcher.TakeDue(clock.GetUtcNow()));
    }

    [Fact]
    public void Resolved_incidents_are_sent_once_and_leave_the_group()
    {
        var clock = new ManualClock(Alerts.T0);
        var (dispatcher, _, _) = Dispatcher(Config(), clock);

        dispatcher.Add(Alerts.Make(), clock.GetUtcNow());
        dispatcher.TakeDue(clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(status: AlertStatus.Resolved), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(1));
        var resolved = Assert.Single(dispatcher.TakeDue(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromDays(1));

        Assert.True(resolved.Notification.AllResolved);
        Assert.Empty(dispatcher.TakeDue(clock.GetUtcNow()));
    }

    [Fact]
    public void Silences_from_configuration_and_the_store_mute_and_are_counted()
    {
        var clock = new ManualClock(Alerts.T0);
        var (dispatcher, counters, silences) = Dispatcher(Config(("Silences:0:Matchers:0", "user=~system:serviceaccount:ci:.*"), ("Silences:0:Comment", "CI noise")), clock);
        silences.Add(["rule=secret-read-burst", "user=eve"], TimeSpan.FromHours(1), "pentest", "alice");

        dispatcher.Add(Alerts.Make(user: "system:serviceaccount:ci:bot", incident: "ci"), clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(user: "eve", incident: "eve"), clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(user: "mallory", incident: "mallory", suppressed: 4), clock.GetUtcNow());

        Assert.Equal("mallory", Assert.Single(dispatcher.TakeDue(clock.GetUtcNow())).Notification.First.User);
        Assert.Equal(2, counters.Silenced["secret-read-burst"]);
        Assert.Equal(4, counters.Suppressed["secret-read-burst"]);

        clock.Advance(TimeSpan.FromHours(2));
        dispatcher.Add(Alerts.Make(user: "eve", incident: "eve2"), clock.GetUtcNow());
        Assert.Single(dispatcher.TakeDue(clock.GetUtcNow()));
    }

    [Fact]
    public void Stored_silences_survive_a_new_store_and_can_be_expired()
    {
        var clock = new ManualClock(Alerts.T0);
        var first = new SilenceStore(_data, [], clock, []);
        var silence = first.Add(["severity=high"], TimeSpan.FromHours(1), "maintenance", "alice");

        var second = new SilenceStore(_data, [], clock, []);
        Assert.NotNull(second.Muting(Alerts.Make()));
        Assert.True(second.Expire(silence.Id));
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Null(new SilenceStore(_data, [], clock, []).Muting(Alerts.Make()));
    }

    [Fact]
    public void Route_mistakes_are_configuration_errors()
    {
        var errors = new List<string>();

        RouteTable.From(Config(("Routes:0:Sinks:0", "pager"), ("Routes:0:GroupInterval", "00:00:00")), ["slack"], errors);

        Assert.Contains(errors, e => e.StartsWith("Routes:0:Sinks: 'pager' is not a configured sink", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("GroupInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_notice_filed_for_a_sink_ends_once_sent_superseded_or_unsent()
    {
        var clock = new ManualClock(Alerts.T0);
        var (dispatcher, counters, _) = Dispatcher(Config(
            ("Routes:0:Sinks:0", "slack"), ("Routes:0:GroupBy:0", "rule"), ("Routes:0:GroupWait", "00:00:30"), ("Routes:0:SendResolved", "false")), clock);

        // Firing then an update before group_wait: the update replaces the unsent firing notice.
        dispatcher.Add(Alerts.Make(incident: "a"), clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(incident: "a", status: AlertStatus.Update), clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(incident: "b", user: "eve"), clock.GetUtcNow());
        var slack = counters.For("slack");
        Assert.Equal(3, slack.AlertsRouted);
        Assert.Equal(1, slack.AlertsSuperseded);
        Assert.Equal(2, slack.AlertsPending);

        clock.Advance(TimeSpan.FromSeconds(30));
        var (notification, _) = Assert.Single(dispatcher.TakeDue(clock.GetUtcNow()));
        Assert.Equal(2, notification.NewAlerts);
        slack.Succeeded(TimeSpan.Zero, notification.NewAlerts);
        Assert.Equal(0, slack.AlertsPending);

        // A resolved notice on a route that does not send them ends unsent; the unchanged incident is not new again.
        dispatcher.Add(Alerts.Make(incident: "a", status: AlertStatus.Resolved), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(5));
        var due = dispatcher.TakeDue(clock.GetUtcNow());
        Assert.Equal(0, Assert.Single(due).Notification.NewAlerts);
        Assert.Equal(1, slack.AlertsUnsent);
        Assert.Equal(0, slack.AlertsPending);
        Assert.Equal(slack.AlertsRouted, slack.AlertsDelivered + slack.AlertsSuperseded + slack.AlertsUnsent);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Group_wait_is_measured_in_elapsed_time_when_the_system_clock_is_stepped(int hours)
    {
        var clock = new SteppedClock(Alerts.T0);
        var routing = new RoutingClock(clock);
        var (dispatcher, _, _) = Dispatcher(Config(("Routes:0:Sinks:0", "slack"), ("Routes:0:GroupWait", "00:00:30")), new ManualClock(Alerts.T0));

        dispatcher.Add(Alerts.Make(), routing.Now);
        clock.Step(TimeSpan.FromHours(hours));
        clock.Elapse(TimeSpan.FromSeconds(29));
        Assert.Empty(dispatcher.TakeDue(routing.Now));
        clock.Elapse(TimeSpan.FromSeconds(1));
        Assert.Single(dispatcher.TakeDue(routing.Now));
    }

    [Fact]
    public void Notices_no_route_takes_and_silenced_ones_are_counted_apart()
    {
        var clock = new ManualClock(Alerts.T0);
        var (dispatcher, counters, _) = Dispatcher(Config(
            ("Routes:0:Rules:0", "secret-read-burst"), ("Routes:0:Sinks:0", "slack"),
            ("Silences:0:Matchers:0", "user=eve")), clock);

        dispatcher.Add(Alerts.Make(), clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(rule: "other", incident: "o"), clock.GetUtcNow());
        dispatcher.Add(Alerts.Make(user: "eve", incident: "e"), clock.GetUtcNow());

        Assert.Equal(1, counters.Routed);
        Assert.Equal(1, counters.Unrouted);
        Assert.Equal(1, counters.Silenced.Values.Sum());
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public void Advance(TimeSpan by) => _now += by;

    public override DateTimeOffset GetUtcNow() => _now;
}
