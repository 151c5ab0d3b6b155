using AuditWatch.Fuzzing.Targets;

namespace AuditWatch.Fuzzing.Mutation;

/// <summary>
/// Runs one input on a thread of its own: any exception is a crash, not finishing within the timeout a hang, and
/// allocating more than the target's budget for the input an unbounded allocation.
/// </summary>
public static class BoundedExecution
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static CaseOutcome Run(IFuzzTarget target, byte[] input, TimeSpan timeout)
    {
        Exception? failure = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            // Every target finishes synchronously on this thread, so the per-thread counter sees all it allocates.
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target.Run(input);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        })
        {
            IsBackground = true,
            Name = $"fuzz {target.Name}",
        };
        thread.Start();
        var finished = thread.Join(timeout);
        return new CaseOutcome(failure, !finished, finished ? allocated : 0, target.AllocationBudget(input));
    }
}
