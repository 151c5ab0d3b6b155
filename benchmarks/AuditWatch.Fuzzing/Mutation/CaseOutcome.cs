namespace AuditWatch.Fuzzing.Mutation;

/// <summary>How one input fared: what escaped the target, whether it finished in time, and what it allocated.</summary>
public sealed record CaseOutcome(Exception? Failure, bool TimedOut, long AllocatedBytes, long AllocationBudget)
{
    public bool OverBudget => AllocatedBytes > AllocationBudget;

    public bool Passed => Failure is null && !TimedOut && !OverBudget;

    public string Kind => Failure is not null ? "crash" : TimedOut ? "hang" : OverBudget ? "alloc" : "ok";

    public override string ToString() => Kind switch
    {
        "crash" => $"crash: {Failure}",
        "hang" => "hang: did not finish in time",
        "alloc" => $"alloc: {AllocatedBytes:N0} bytes allocated, budget {AllocationBudget:N0}",
        _ => $"ok ({AllocatedBytes:N0} bytes allocated)",
    };
}
