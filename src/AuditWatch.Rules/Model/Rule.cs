using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;
using AuditWatch.Rules.Testing;

namespace AuditWatch.Rules.Model;

/// <summary>A validated, compiled rule: everything the engine needs, nothing left to parse.</summary>
public sealed record Rule
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = string.Empty;
    public required Severity Severity { get; init; }
    public required RuleKind Kind { get; init; }
    public bool Enabled { get; init; } = true;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? RunbookUrl { get; init; }

    /// <summary>Credit every alert of the rule must carry (the Detection Rule License asks it for SigmaHQ rules).</summary>
    public string? Attribution { get; init; }
    public Condition Where { get; init; } = TrueCondition.Instance;
    public IReadOnlyList<Condition> Except { get; init; } = [];
    public required IReadOnlyList<Field> GroupBy { get; init; }
    public TimeSpan Window { get; init; }
    public Thresholds? Threshold { get; init; }
    public Field? CountDistinct { get; init; }
    public IReadOnlyList<Escalation> Escalations { get; init; } = [];
    public required TimeSpan Suppress { get; init; }
    public IReadOnlyList<Field> Key { get; init; } = [];
    public TimeSpan Learn { get; init; }
    public IReadOnlyList<SequenceStep> Steps { get; init; } = [];

    /// <summary>Whether a sequence's steps must come in the order given (Sigma <c>temporal</c> correlations need not).</summary>
    public bool OrderedSteps { get; init; } = true;

    /// <summary>How many distinct steps an unordered sequence needs within the window; all of them when 0.</summary>
    public int StepsRequired { get; init; }

    /// <summary>Native YAML or Sigma: decides how tools print suggestions for the rule file.</summary>
    public RuleFormat Format { get; init; } = RuleFormat.Native;
    public TimeSpan Baseline { get; init; }
    public double Factor { get; init; }
    public int MinCount { get; init; }
    public IReadOnlyList<RuleTestCase> Tests { get; init; } = [];
    public required string SourceFile { get; init; }

    /// <summary>The rule file as written plus the named lists it can use: two rules with the same definition behave the same.</summary>
    public string Definition { get; init; } = string.Empty;

    /// <summary>The request is one this rule looks at: it matches <c>where</c> and no <c>except</c>.</summary>
    public bool Applies(ApiRequest request)
    {
        if (!Where.Matches(request))
        {
            return false;
        }

        // Index loops: this runs for every request and rule, and an interface foreach would allocate an enumerator.
        for (var i = 0; i < Except.Count; i++)
        {
            if (Except[i].Matches(request))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The group a request belongs to: the values of <c>group_by</c>, joined.</summary>
    public string GroupKey(ApiRequest request) => GroupBy.Count == 1
        ? GroupBy[0].First(request) ?? string.Empty
        : JoinedGroupKey(request);

    // Apart from GroupKey: a lambda capturing the request there cost an allocation on every call, one field or many.
    private string JoinedGroupKey(ApiRequest request) => string.Join(" | ", GroupBy.Select(f => f.First(request) ?? string.Empty));

    public Severity SeverityFor(int count, int distinct, int namespaces)
    {
        var severity = Severity;
        foreach (var escalation in Escalations)
        {
            if (escalation.Severity > severity && escalation.Reached(count, distinct, namespaces))
            {
                severity = escalation.Severity;
            }
        }

        return severity;
    }
}
