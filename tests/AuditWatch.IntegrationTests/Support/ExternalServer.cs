using System.Collections.Concurrent;
using System.Diagnostics;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>A real server from Debian's packages (Prometheus, Alertmanager, an SMTP server) run on a free loopback port.</summary>
internal sealed class ExternalServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ExternalServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Output => string.Join('\n', _output);

    /// <summary>Starts <paramref name="program"/>; <paramref name="arguments"/> gets the port and a scratch directory.</summary>
    public static ExternalServer Start(string program, Func<int, string, IEnumerable<string>> arguments)
    {
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"{program} is not installed; ./test.sh installs it (apt-get install)");
        }

        var port = FreePort.Next();
        var directory = System.IO.Directory.CreateTempSubdirectory("auditwatch-server-").FullName;
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var argument in arguments(port, directory))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var server = new ExternalServer(process, port, directory);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until the path answers 200 (HTTP servers) or the port accepts connections (path null).</summary>
    public async Task WaitReadyAsync(string? path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited:\n{Output}");
            }

            try
            {
                if (path is null)
                {
                    using var client = new System.Net.Sockets.TcpClient();
                    await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
                    return;
                }

                using var response = await http.GetAsync(new Uri(BaseAddress, path));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{_process.StartInfo.FileName} did not become ready:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
