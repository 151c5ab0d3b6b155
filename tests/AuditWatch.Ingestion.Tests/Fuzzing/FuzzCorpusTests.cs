using AuditWatch.Fuzzing.Mutation;
using AuditWatch.Fuzzing.Targets;

namespace AuditWatch.Ingestion.Tests.Fuzzing;

/// <summary>
/// Every committed fuzz input (seeds, and each input that once crashed, hung or disagreed) through its target: nothing
/// escapes, it finishes within 10 s, and it allocates within the target's budget (64 bytes per input byte + 1 MiB).
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in new[] { "decoder", "envelopes", "webhook-body" })
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
    public void Corpus_input_runs_without_crash_hang_or_unbounded_allocation(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(FuzzCorpus.Directory(target), file));

        var outcome = BoundedExecution.Run(FuzzTargets.Named(target), input, BoundedExecution.DefaultTimeout);

        Assert.True(outcome.Passed, $"{target}/{file}: {outcome}");
    }

    [Fact]
    public void Each_target_has_seeds_and_the_known_crashes()
    {
        Assert.Contains("crash-lone-surrogate-key-shape.json", FuzzCorpus.Files("decoder"));
        Assert.Contains("disagree-nested-object-in-column-0.jsonl", FuzzCorpus.Files("decoder"));
        Assert.Contains("crash-lone-surrogate-key-classify.json", FuzzCorpus.Files("envelopes"));
        Assert.Contains("crash-lone-surrogate-key.json", FuzzCorpus.Files("webhook-body"));
    }
}
