using AuditWatch.Core.Requests;
using AuditWatch.Rules.Conditions;

namespace AuditWatch.Rules.Prefiltering;

/// <summary>
/// A condition split in two: what the request's shape decides, judged once per shape and remembered, and the rest,
/// judged per request. Holds exactly when the condition does. Verdicts follow one pipeline's <see cref="RequestShapes"/>.
/// </summary>
public sealed class ShapeSplitCondition
{
    private const byte Unknown = 0;
    private const byte Holds = 1;
    private const byte Fails = 2;

    private readonly Condition _whole;
    private byte[] _verdicts = [];

    /// <param name="condition">The condition as written.</param>
    /// <param name="alsoNecessary">
    /// Shape-only conditions that hold whenever the caller could use the request: ruled out by them, it is not.
    /// </param>
    public ShapeSplitCondition(Condition condition, params IEnumerable<Condition> alsoNecessary)
    {
        _whole = condition;
        Residual = condition switch
        {
            _ when ShapeConditions.IsShapeOnly(condition) => TrueCondition.Instance,
            AllCondition all => ShapeConditions.AllOf(all.Parts.Where(p => !ShapeConditions.IsShapeOnly(p))),
            _ => condition,
        };

        var byShape = new List<Condition> { ShapeConditions.NecessaryPart(condition) };
        byShape.AddRange(alsoNecessary);
        var decided = ShapeConditions.AllOf(byShape);
        ByShape = decided is TrueCondition ? null : decided;
    }

    /// <summary>What is judged once per shape, or null when the shape decides nothing.</summary>
    public Condition? ByShape { get; }

    /// <summary>What is left to judge per request.</summary>
    public Condition Residual { get; }

    /// <summary>Whether the condition holds; for <see cref="RequestShape.Unnumbered"/> it is judged in full.</summary>
    public bool Matches(RequestShape shape, ApiRequest request)
    {
        if (shape.Id < 0)
        {
            return _whole.Matches(request);
        }

        return (ByShape is null || HoldsForShape(shape.Id, request)) && Residual.Matches(request);
    }

    /// <summary>
    /// False when the shape alone rules the condition out (judged once per shape); true for
    /// <see cref="RequestShape.Unnumbered"/>. <paramref name="request"/> is any request of that shape.
    /// </summary>
    public bool AdmitsShape(RequestShape shape, ApiRequest request) => shape.Id < 0 || ByShape is null || HoldsForShape(shape.Id, request);

    private bool HoldsForShape(int id, ApiRequest request)
    {
        if (id >= _verdicts.Length)
        {
            Array.Resize(ref _verdicts, Math.Max(id + 1, _verdicts.Length * 2));
        }

        var verdict = _verdicts[id];
        if (verdict == Unknown)
        {
            verdict = ByShape!.Matches(request) ? Holds : Fails;
            _verdicts[id] = verdict;
        }

        return verdict == Holds;
    }
}
