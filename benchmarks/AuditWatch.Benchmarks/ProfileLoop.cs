using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace AuditWatch.Benchmarks;

/// <summary>
/// Runs one benchmark method in a loop for a while, outside BenchmarkDotNet, so that a profiler can attach:
/// <c>AuditWatch.Benchmarks loop DetectionBenchmarks DefaultPack Identities=10 20</c>
/// (under <c>dotnet-trace collect -- …</c>).
/// </summary>
internal static class ProfileLoop
{
    public static int Run(string[] args, Action? timing = null)
    {
        var type = typeof(ProfileLoop).Assembly.GetType($"AuditWatch.Benchmarks.{args[1]}") ?? throw new ArgumentException($"no benchmark class {args[1]}");
        var method = type.GetMethod(args[2]) ?? throw new ArgumentException($"no method {args[2]} in {args[1]}");
        var instance = Activator.CreateInstance(type)!;
        var seconds = 10.0;
        foreach (var arg in args.Skip(3))
        {
            if (arg.Split('=') is [var name, var value])
            {
                var property = type.GetProperty(name) ?? throw new ArgumentException($"no parameter {name}");
                property.SetValue(instance, Convert.ChangeType(value, property.PropertyType, CultureInfo.InvariantCulture));
            }
            else
            {
                seconds = double.Parse(arg, CultureInfo.InvariantCulture);
            }
        }

        type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null).ToList().ForEach(m => m.Invoke(instance, null));
        // Run before each invocation and not timed, as BenchmarkDotNet runs them (which then invokes once per iteration).
        var iterationSetups = type.GetMethods().Where(m => m.GetCustomAttribute<IterationSetupAttribute>() is not null).ToList();
        // Warm-up, as BenchmarkDotNet does: the JIT's later tiers settle within the first second or two.
        for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < Math.Min(2, seconds / 4);)
        {
            iterationSetups.ForEach(m => m.Invoke(instance, null));
            method.Invoke(instance, null);
        }

        timing?.Invoke();
        var allocatedInRuns = 0L;
        var watch = Stopwatch.StartNew();
        var times = new List<double>();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            if (iterationSetups.Count > 0)
            {
                // What the set-up made is collected before the run, as BenchmarkDotNet collects before each iteration:
                // otherwise a collection it started goes on in the background while the run is timed.
                iterationSetups.ForEach(m => m.Invoke(instance, null));
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            method.Invoke(instance, null);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            allocatedInRuns += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        }

        // The median and the fastest besides the mean: on shared cores a neighbour's burst moves the mean of a short loop.
        var runs = times.Count;
        times.Sort();
        var allocated = allocatedInRuns / runs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[1]}.{args[2]}: {runs} runs, {times.Sum() / runs:0.0} ms (median {times[runs / 2]:0.0}, fastest {times[0]:0.0}) and {allocated / 1024.0 / 1024.0:0.0} MiB ({allocated:N0} bytes) allocated each"));
        return 0;
    }
}
