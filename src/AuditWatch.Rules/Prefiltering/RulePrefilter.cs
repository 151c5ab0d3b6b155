using AuditWatch.Core.Requests;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Model;

namespace AuditWatch.Rules.Prefiltering;

/// <summary>
/// A rule's <c>where</c> and <c>except</c> split in two: what a request's shape decides, judged once per shape, and the
/// rest, judged per request. Most rules test the verb, resource or outcome first and most requests fail those tests,
/// so most rules skip most requests after one array read. One per rule and pipeline (verdicts follow that pipeline's
/// <see cref="RequestShapes"/> numbering).
/// </summary>
public sealed class RulePrefilter
{
    private const byte Unknown = 0;
    private const byte Passed = 1;
    private const byte Failed = 2;

    private readonly Rule _rule;
    private readonly Condition? _byShape;
    private readonly Condition _residualWhere;
    private readonly Condition[] _residualExcept;
    private byte[] _verdicts = [];

    public RulePrefilter(Rule rule)
    {
        _rule = rule;
        var shapeParts = new List<Condition>();
        if (ShapeConditions.IsShapeOnly(rule.Where))
        {
            shapeParts.Add(rule.Where);
            _residualWhere = TrueCondition.Instance;
        }
        else if (rule.Where is AllCondition all)
        {
            shapeParts.AddRange(all.Parts.Where(ShapeConditions.IsShapeOnly));
            shapeParts.Add(ShapeConditions.AllOf(all.Parts.Where(p => !ShapeConditions.IsShapeOnly(p)).Select(ShapeConditions.NecessaryPart)));
            _residualWhere = ShapeConditions.AllOf(all.Parts.Where(p => !ShapeConditions.IsShapeOnly(p)));
        }
        else
        {
            shapeParts.Add(ShapeConditions.NecessaryPart(rule.Where));
            _residualWhere = rule.Where;
        }

        shapeParts.AddRange(rule.Except.Where(ShapeConditions.IsShapeOnly).Select(e => new NotCondition(e)));
        _residualExcept = [.. rule.Except.Where(e => !ShapeConditions.IsShapeOnly(e))];

        // A sequence takes a request only for a step it matches: one that no step's shape admits is of no use to it.
        if (rule.Kind == RuleKind.Sequence)
        {
            shapeParts.Add(ShapeConditions.AnyOf(rule.Steps.Select(s => ShapeConditions.NecessaryPart(s.Where))));
        }

        var byShape = ShapeConditions.AllOf(shapeParts);
        _byShape = byShape is TrueCondition ? null : byShape;
    }

    /// <summary>What is judged once per shape, or null when the shape decides nothing.</summary>
    public Condition? ByShape => _byShape;

    /// <summary>
    /// Whether the request passes the rule's <c>where</c> and <c>except</c>, as <see cref="Rule.Applies"/> says; false
    /// also for a sequence's request that no step can match. Without a numbered shape the rule is judged in full.
    /// </summary>
    public bool Passes(RequestShape? shape, ApiRequest request)
    {
        if (shape is null || shape.Id < 0)
        {
            return _rule.Applies(request);
        }

        if (_byShape is not null && !PassesByShape(shape.Id, request))
        {
            return false;
        }

        if (!_residualWhere.Matches(request))
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

    private bool PassesByShape(int id, ApiRequest request)
    {
        if (id >= _verdicts.Length)
        {
            Array.Resize(ref _verdicts, Math.Max(id + 1, _verdicts.Length * 2));
        }

        var verdict = _verdicts[id];
        if (verdict == Unknown)
        {
            verdict = _byShape!.Matches(request) ? Passed : Failed;
            _verdicts[id] = verdict;
        }

        return verdict == Passed;
    }
}
