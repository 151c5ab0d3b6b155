namespace AuditWatch.Rules.Conditions;

/// <summary>
/// How many rule regex evaluations ran into their timeout and were counted as no match. The engine does not
/// backtrack, so this stays at zero unless a value is enormous; a rising count means a rule is being evaded or starved.
/// </summary>
public static class RegexTimeouts
{
    private static long _count;

    public static long Count => Interlocked.Read(ref _count);

    internal static void Add() => Interlocked.Increment(ref _count);
}
