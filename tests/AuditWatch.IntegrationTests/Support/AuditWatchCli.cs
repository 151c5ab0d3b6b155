using System.Diagnostics;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>Runs an AuditWatch verb to completion (replay, alerts test, silence …) and captures what it printed.</summary>
internal static class AuditWatchCli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? workingDirectory, params IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AuditWatch.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
