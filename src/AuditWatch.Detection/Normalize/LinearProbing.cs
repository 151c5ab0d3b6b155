namespace AuditWatch.Detection.Normalize;

/// <summary>
/// The rule that keeps a linear-probing table free of tombstones (<see cref="RememberedRequests"/>, the rules' group
/// tables): when a slot is freed, each later slot of its run moves back into it unless its home lies cyclically after
/// the freed slot, so every entry stays reachable from its home.
/// </summary>
internal static class LinearProbing
{
    /// <summary>Whether the entry in <paramref name="next"/>, whose home slot is <paramref name="home"/>, stays put when <paramref name="free"/> is freed.</summary>
    public static bool StaysPut(int free, int next, int home) =>
        free <= next ? free < home && home <= next : free < home || home <= next;
}
