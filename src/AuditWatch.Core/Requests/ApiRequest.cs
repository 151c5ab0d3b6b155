using AuditWatch.Core.Events;

namespace AuditWatch.Core.Requests;

/// <summary>One API request, counted once whatever the number of stages and redeliveries that reported it.</summary>
public sealed record ApiRequest
{
    public required AuditId AuditId { get; init; }

    /// <summary>Event time: when the apiserver received the request.</summary>
    public required DateTimeOffset Time { get; init; }

    public required Identity Identity { get; init; }
    public required string Verb { get; init; }
    public string? Resource { get; init; }
    public string? Subresource { get; init; }
    public string? ApiGroup { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string? RequestUri { get; init; }
    public required RequestOutcome Outcome { get; init; }
    public int? ResponseCode { get; init; }
    public IReadOnlyList<string> SourceIps { get; init; } = [];
    public string? UserAgent { get; init; }

    /// <summary>The first product token of the user agent ("kubectl", "curl", "python-requests").</summary>
    public string? UserAgentProduct { get; init; }

    /// <summary>Set when the request read Secrets.</summary>
    public SecretRead? SecretRead { get; init; }

    public SecretPayload SecretPayload { get; init; }
    public ObjectFacts RequestFacts { get; init; } = ObjectFacts.Empty;

    /// <summary>See <see cref="Events.AuditEvent.Replayed"/>.</summary>
    public bool Replayed { get; init; }

    /// <summary>
    /// Live mode: the time the request was stamped with, when that is further ahead of the stream's time than the
    /// allowed lateness (a control-plane clock is wrong). It is then judged on its own by single-event rules, does not
    /// move event time, and <see cref="Time"/> is the stream's time when it came.
    /// </summary>
    public DateTimeOffset? AheadStamp { get; init; }

    public bool StampedAhead => AheadStamp is not null;
}
