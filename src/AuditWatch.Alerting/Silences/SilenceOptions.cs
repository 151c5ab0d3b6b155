namespace AuditWatch.Alerting.Silences;

/// <summary>One entry of the <c>Silences</c> configuration section.</summary>
public sealed class SilenceOptions
{
    public List<string> Matchers { get; set; } = [];

    public DateTimeOffset EndsAt { get; set; } = DateTimeOffset.MaxValue;

    public string Comment { get; set; } = string.Empty;

    public static IEnumerable<Silence> ToSilences(IEnumerable<SilenceOptions> options) =>
        options.Select((o, i) => new Silence($"config-{i}", o.Matchers, DateTimeOffset.MinValue, o.EndsAt, o.Comment, "configuration"));
}
