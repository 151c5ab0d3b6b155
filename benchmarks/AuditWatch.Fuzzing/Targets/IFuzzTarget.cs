namespace AuditWatch.Fuzzing.Targets;

/// <summary>
/// One entry point fed arbitrary bytes. Documented error results (DecodeError, RuleError) are fine; an exception
/// escaping <see cref="Run"/> is a crash, and a broken invariant is reported as a <see cref="FuzzInvariantException"/>.
/// </summary>
public interface IFuzzTarget
{
    string Name { get; }

    /// <summary>Which tokens the mutator splices in.</summary>
    InputDialect Dialect { get; }

    /// <summary>What one run on this input may allocate (see <see cref="AllocationBudgets"/>).</summary>
    long AllocationBudget(byte[] input);

    void Run(byte[] input);
}
