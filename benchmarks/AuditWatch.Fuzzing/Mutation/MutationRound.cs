using System.Diagnostics;
using System.Security.Cryptography;
using AuditWatch.Fuzzing.Targets;

namespace AuditWatch.Fuzzing.Mutation;

/// <summary>Runs mutated seeds through a target until a case count or a time budget is reached, keeping what failed.</summary>
public static class MutationRound
{
    public sealed record Finding(byte[] Input, CaseOutcome Outcome)
    {
        public string FileName => $"{Outcome.Kind}-{Convert.ToHexStringLower(SHA1.HashData(Input))[..12]}.bin";
    }

    /// <summary>One bug tends to be found over and over; a round stops at this many findings.</summary>
    public const int MaxFindings = 20;

    public sealed record Report(int Cases, IReadOnlyList<Finding> Findings, TimeSpan Elapsed);

    /// <param name="beforeCase">Sees each input before it runs: a stack overflow ends the process, and the input must survive it.</param>
    public static Report Run(IFuzzTarget target, IReadOnlyList<byte[]> seeds, int seed, int maxCases, TimeSpan budget, TimeSpan timeout, Action<byte[]>? beforeCase = null)
    {
        var mutator = new InputMutator(seeds, target.Dialect, seed);
        var findings = new List<Finding>();
        var clock = Stopwatch.StartNew();
        var cases = 0;
        while (cases < maxCases && clock.Elapsed < budget)
        {
            var input = mutator.Next();
            cases++;
            beforeCase?.Invoke(input);
            var outcome = BoundedExecution.Run(target, input, timeout);
            if (!outcome.Passed)
            {
                findings.Add(new Finding(input, outcome));
                if (outcome.TimedOut || findings.Count >= MaxFindings)
                {
                    // The hung thread keeps a core busy; going on would measure everything after it wrongly.
                    break;
                }
            }
        }

        return new Report(cases, findings, clock.Elapsed);
    }

    public static IReadOnlyList<byte[]> Seeds(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)] : [];
}
