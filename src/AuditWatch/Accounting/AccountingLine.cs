namespace AuditWatch.Accounting;

/// <summary>One balance: a count and the terms it splits into.</summary>
public sealed record AccountingLine(string Name, long Count, IReadOnlyList<(string Term, long Count)> Terms)
{
    public bool Balanced => Count == Terms.Sum(t => t.Count);

    public override string ToString() =>
        $"{Name} {Count} = {string.Join(" + ", Terms.Select(t => $"{t.Term} {t.Count}"))}{(Balanced ? "" : " (UNBALANCED)")}";
}
