using AuditWatch.Fuzzing.Mutation;
using AuditWatch.Fuzzing.Targets;

namespace AuditWatch.Ingestion.Tests.Fuzzing;

/// <summary>
/// A fixed-seed round of the property-based mutator per target: the same few thousand cases on every run (bit flips,
/// splices, deep nesting, huge numbers and strings, invalid UTF-8, duplicated keys, wrong types), each held to the
/// corpus tests' rules: no exception, done within 10 s, allocation within budget; for the decoder, streamed and
/// whole-body results agree.
/// </summary>
public sealed class FuzzMutationTests
{
    // Every case must run (the fixed seed's cases are the test); the limit only ends a run that hangs.
    private static readonly TimeSpan WholeRoundLimit = TimeSpan.FromMinutes(15);

    [Theory]
    [InlineData("decoder", 20261130, 3000)]
    [InlineData("envelopes", 20261130, 2000)]
    [InlineData("webhook-body", 20261130, 2000)]
    public void A_fixed_seed_mutation_round_finds_nothing(string target, int seed, int cases)
    {
        var fuzzTarget = FuzzTargets.Named(target);
        var seeds = MutationRound.Seeds(FuzzCorpus.Directory(target));

        var report = MutationRound.Run(fuzzTarget, seeds, seed, cases, WholeRoundLimit, BoundedExecution.DefaultTimeout);

        Assert.Equal(cases, report.Cases);
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings.Select(f => $"{f.FileName}: {f.Outcome}")));
    }

    [Fact]
    public void The_mutator_is_reproducible_and_varied()
    {
        var seeds = MutationRound.Seeds(FuzzCorpus.Directory("decoder"));
        var first = new InputMutator(seeds, InputDialect.Json, 7);
        var second = new InputMutator(seeds, InputDialect.Json, 7);

        var a = Enumerable.Range(0, 200).Select(_ => Convert.ToHexString(first.Next())).ToList();
        var b = Enumerable.Range(0, 200).Select(_ => Convert.ToHexString(second.Next())).ToList();

        Assert.Equal(a, b);
        Assert.True(a.Distinct().Count() > 190);
    }
}
