using AuditWatch.Fuzzing.Mutation;
using AuditWatch.Fuzzing.Targets;

const string Usage = """
    usage:
      AuditWatch.Fuzzing afl <target>                      under afl-fuzz, with SharpFuzz-instrumented assemblies
      AuditWatch.Fuzzing libfuzzer <target>                under a libFuzzer driver (libfuzzer-dotnet)
      AuditWatch.Fuzzing run <target> <file|dir>...        replay inputs; exit 1 on a crash, hang or over-budget allocation
      AuditWatch.Fuzzing mutate <target> <seconds> <corpus-dir> <findings-dir> [seed]
                                                           the property-based mutator for a time budget
    targets: decoder, envelopes, webhook-body, rules, sigma
    """;

if (args.Length < 2)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

// Instrumented code (the product assemblies, after sharpfuzz) must not run before SharpFuzz has set up its coverage
// map, or it writes through a null pointer: under a fuzzer the target is created inside the callback.
var name = args[1];
var fuzzed = new Lazy<IFuzzTarget>(() => FuzzTargets.Named(name));
switch (args[0])
{
    case "afl":
        // Out of process: a stack overflow or fatal error in the target is then reported as a crash, not lost.
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            fuzzed.Value.Run(copy.ToArray());
        });
        return 0;
    case "libfuzzer":
        SharpFuzz.Fuzzer.LibFuzzer.Run(span => fuzzed.Value.Run(span.ToArray()));
        return 0;
}

var target = FuzzTargets.Named(name);
switch (args[0])
{
    case "run" when args.Length >= 3:
        return Replay(target, args[2..]);
    case "mutate" when args.Length >= 5:
        return Mutate(target, TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)), args[3], args[4],
            args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount);
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

static int Replay(IFuzzTarget target, string[] paths)
{
    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]).ToList();
    var failed = 0;
    foreach (var file in files)
    {
        var outcome = BoundedExecution.Run(target, File.ReadAllBytes(file), BoundedExecution.DefaultTimeout);
        Console.WriteLine($"{file}: {outcome}");
        failed += outcome.Passed ? 0 : 1;
    }

    Console.WriteLine($"{files.Count} inputs, {failed} failed");
    return failed == 0 ? 0 : 1;
}

static int Mutate(IFuzzTarget target, TimeSpan budget, string corpus, string findingsDirectory, int seed)
{
    // The input being run, kept on disk: if it kills the process (stack overflow), fuzz.sh files it as a crash.
    Directory.CreateDirectory(findingsDirectory);
    var current = Path.Combine(findingsDirectory, ".current");
    var report = MutationRound.Run(target, MutationRound.Seeds(corpus), seed, int.MaxValue, budget, BoundedExecution.DefaultTimeout,
        input => File.WriteAllBytes(current, input));
    File.Delete(current);
    foreach (var finding in report.Findings)
    {
        var path = Path.Combine(findingsDirectory, finding.FileName);
        File.WriteAllBytes(path, finding.Input);
        Console.WriteLine($"{path}: {finding.Outcome}");
    }

    Console.WriteLine($"{target.Name}: seed {seed}, {report.Cases} cases in {report.Elapsed.TotalSeconds:F0} s ({report.Cases / Math.Max(report.Elapsed.TotalSeconds, 0.001):F0}/s), {report.Findings.Count} findings");
    return report.Findings.Count == 0 ? 0 : 1;
}
