using System.Globalization;
using AuditWatch.Benchmarks;
using BenchmarkDotNet.Running;

if (args is ["loop", _, _, ..])
{
    return ProfileLoop.Run(args);
}

if (args is ["allocations", _, _, ..])
{
    return AllocationSampler.Run(args);
}

if (args is ["rules-cost"])
{
    return RuleCostProbe.Run();
}

if (args is ["memory", var identities, var reads, ..] && args.Length <= 5)
{
    return IdentityMemoryProbe.Run(
        int.Parse(identities, CultureInfo.InvariantCulture),
        int.Parse(reads, CultureInfo.InvariantCulture),
        args.Length >= 4 ? args[3] : IdentityMemoryProbe.DefaultRule,
        TimeSpan.FromMilliseconds(args.Length == 5 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 1));
}

BenchmarkSwitcher.FromAssembly(typeof(DecoderBenchmarks).Assembly).Run(args);
return 0;
