namespace AuditWatch.Fuzzing.Mutation;

/// <summary>The committed regression corpus, tests/fixtures/fuzz/&lt;target&gt;/, as the test projects copy it next to themselves.</summary>
public static class FuzzCorpus
{
    public static string Directory(string target) => Path.Combine(AppContext.BaseDirectory, "fixtures", "fuzz", target);

    public static IReadOnlyList<string> Files(string target) =>
        [.. System.IO.Directory.EnumerateFiles(Directory(target)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
