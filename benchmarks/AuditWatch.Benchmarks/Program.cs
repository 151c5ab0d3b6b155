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

if (args is ["memory", var identities, var reads])
{
    return IdentityMemoryProbe.Run(int.Parse(identities, CultureInfo.InvariantCulture), int.Parse(reads, CultureInfo.InvariantCulture));
}

BenchmarkSwitcher.FromAssembly(typeof(DecoderBenchmarks).Assembly).Run(args);
return 0;
