using AuditWatch.Core.Requests;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Model;

namespace AuditWatch.Rules.Prefiltering;

/// <summary>
/// A rule's <c>where</c>, <c>except</c> and sequence steps, each split into what the request's shape decides (judged
/// once per shape) and the rest (judged per request). Most rules test the verb, resource or outcome first and most
/// requests fail those tests, so most rules skip most requests after one array read. One per rule and pipeline.
/// </summary>
public sealed class RulePrefilter
{
    private readonly Rule _rule;
    private readonly ShapeSplitCondition _applies;
    private readonly Condition[] _residualExcept;
    private readonly ShapeSplitCondition[] _steps;

    public RulePrefilter(Rule rule)
    {
        _rule = rule;
        _steps = [.. rule.Steps.Select(step => new ShapeSplitCondition(step.Where))];
        var necessary = rule.Except.Where(ShapeConditions.IsShapeOnly).Select(e => (Condition)new NotCondition(e)).ToList();

        // A sequence takes a request only for a step it matches: one that no step's shape admits is of no use to it.
        if (rule.Kind == RuleKind.Sequence)
        {
            necessary.Add(ShapeConditions.AnyOf(rule.Steps.Select(s => ShapeConditions.NecessaryPart(s.Where))));
        }

        _applies = new ShapeSplitCondition(rule.Where, necessary);
        _residualExcept = [.. rule.Except.Where(e => !ShapeConditions.IsShapeOnly(e))];
    }

    /// <summary>What is judged once per shape, or null when the shape decides nothing.</summary>
    public Condition? ByShape => _applies.ByShape;

    /// <summary>
    /// Whether the request passes the rule's <c>where</c> and <c>except</c>, as <see cref="Rule.Applies"/> says; false
    /// also for a sequence's request that no step can match. For <see cref="RequestShape.Unnumbered"/> the rule is judged in full.
    /// </summary>
    public bool Passes(RequestShape shape, ApiRequest request)
    {
        if (shape.Id < 0)
        {
            return _rule.Applies(request);
        }

        if (!_applies.Matches(shape, request))
        {
            return false;
        }

        for (var i = 0; i < _residualExcept.Length; i++)
        {
            if (_residualExcept[i].Matches(request))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// False when the request's shape alone says <see cref="Passes"/> would be false (for a sequence: that no step
    /// could match either); judged once per shape. <paramref name="request"/> is any request of that shape.
    /// </summary>
    public bool AdmitsShape(RequestShape shape, ApiRequest request) => _applies.AdmitsShape(shape, request);

    /// <summary>Whether the request matches the <c>where</c> of the sequence's step (by its index).</summary>
    public bool MatchesStep(int step, RequestShape shape, ApiRequest request) => _steps[step].Matches(shape, request);
}
