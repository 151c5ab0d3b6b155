namespace AuditWatch.Benchmarks;

/// <summary>The recorded logs and rules copied beside the benchmarks executable.</summary>
internal static class BenchmarkData
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "data", file);

    public static string Rules => System.IO.Path.Combine(AppContext.BaseDirectory, "rules");
}
