using System.Diagnostics;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// A small tmpfs mounted for one test, to fill up: a real "No space left on device" from the kernel, not a simulation.
/// Mounting needs root (CAP_SYS_ADMIN), which the CI runs as.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    public static TmpfsMount Create(int kilobytes)
    {
        var path = Directory.CreateTempSubdirectory("auditwatch-tmpfs-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mounting a tmpfs failed (the disk-full tests need root, as CI runs them): {output}");
        }

        return new TmpfsMount(path);
    }

    /// <summary>Writes a file until the kernel answers ENOSPC.</summary>
    public void Fill()
    {
        var block = new byte[4096];
        using var file = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
        }
    }

    public void Free() => File.Delete(Filler);

    public void Dispose()
    {
        var (code, output) = Run("umount", Path);
        if (code != 0)
        {
            throw new InvalidOperationException($"unmounting the tmpfs at {Path} failed: {output}");
        }

        Directory.Delete(Path);
    }

    private static (int Code, string Output) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
