using AuditWatch.Fuzzing.Mutation;
using AuditWatch.Fuzzing.Targets;

namespace AuditWatch.Rules.Tests.Fuzzing;

/// <summary>
/// Every committed rules and Sigma fuzz input (seeds, and each input that once crashed, hung or allocated without
/// bound) through its loader: nothing escapes, it finishes within 10 s, and it allocates within budget (1,024 bytes
/// per input byte + 1 MiB, plus about 4 KB per test event a 'repeat:' asks for).
/// </summary>
public sealed class FuzzCorpusTests
{
    // Every case must run (the fixed seed's cases are the test); the limit only ends a run that hangs.
    private static readonly TimeSpan WholeRoundLimit = TimeSpan.FromMinutes(15);

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in new[] { "rules", "sigma" })
        {
            foreach (var file in FuzzCorpus.Files(target))
            {
                data.Add(target, file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Corpus_input_loads_without_crash_hang_or_unbounded_allocation(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(FuzzCorpus.Directory(target), file));

        var outcome = BoundedExecution.Run(FuzzTargets.Named(target), input, BoundedExecution.DefaultTimeout);

        Assert.True(outcome.Passed, $"{target}/{file}: {outcome}");
    }

    [Theory]
    [InlineData("rules", 20261130, 2500)]
    [InlineData("sigma", 20261130, 2500)]
    public void A_fixed_seed_mutation_round_finds_nothing(string target, int seed, int cases)
    {
        var report = MutationRound.Run(FuzzTargets.Named(target), MutationRound.Seeds(FuzzCorpus.Directory(target)), seed, cases,
            WholeRoundLimit, BoundedExecution.DefaultTimeout);

        Assert.Equal(cases, report.Cases);
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings.Select(f => $"{f.FileName}: {f.Outcome}")));
    }
}
