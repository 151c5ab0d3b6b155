using System.Collections.Concurrent;
using System.Diagnostics;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// The real AuditWatch executable running as the live service on a free loopback port, in its own working directory
/// (where its data directory lands). Stopped with SIGTERM, as Kubernetes stops it.
/// </summary>
internal sealed class AuditWatchProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AuditWatchProcess(Process process, Uri baseAddress, string workingDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        WorkingDirectory = workingDirectory;
    }

    public Uri BaseAddress { get; }

    public string WorkingDirectory { get; }

    public IReadOnlyList<string> StdoutLines => [.. _stdout];

    public string Stderr => string.Join('\n', _stderr);

    public bool HasExited => _process.HasExited;

    public static AuditWatchProcess Start(string workingDirectory, bool https, params string[] settings)
    {
        var port = FreePort.Next();
        var baseAddress = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AuditWatch.dll"));
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("jsonl");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var result = new AuditWatchProcess(process, baseAddress, workingDirectory);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                result._stdoutClosed.TrySetResult();
            }
            else
            {
                result._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                result._stderrClosed.TrySetResult();
            }
            else
            {
                result._stderr.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Polls /readyz until the service says it is ready.</summary>
    public async Task WaitReadyAsync(HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"AuditWatch exited with {_process.ExitCode}:\n{Stderr}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"AuditWatch did not become ready:\n{Stderr}");
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
