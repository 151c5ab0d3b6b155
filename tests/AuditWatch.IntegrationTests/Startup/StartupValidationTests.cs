using AuditWatch.IntegrationTests.Support;

namespace AuditWatch.IntegrationTests.Startup;

/// <summary>What AuditWatch refuses to start with, all errors at once, naming the setting.</summary>
public sealed class StartupValidationTests
{
    private static async Task<(int ExitCode, string Stderr)> RunAsync(params string[] args)
    {
        var (exitCode, _, stderr) = await AuditWatchCli.RunAsync(null, args);
        return (exitCode, stderr);
    }

    [Fact]
    public async Task Plain_http_on_a_public_address_without_authentication_is_refused()
    {
        var (exitCode, stderr) = await RunAsync("run", "--urls", "http://0.0.0.0:18080");

        Assert.Equal(2, exitCode);
        Assert.Contains("urls: http://0.0.0.0:18080 is plain HTTP on a non-loopback address; only loopback may be served without TLS", stderr, StringComparison.Ordinal);
        Assert.Contains("must be set", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_on_plain_http_beyond_loopback_is_an_error_not_a_warning()
    {
        var (exitCode, stderr) = await RunAsync("--urls", "http://0.0.0.0:18081", "--Webhook:Token=secret-value-123");

        Assert.Equal(2, exitCode);
        Assert.Contains("the bearer token would cross the network in clear", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value-123", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_configuration_error_is_reported_at_once()
    {
        var (exitCode, stderr) = await RunAsync(
            "run",
            "--urls", "https://127.0.0.1:18082",
            "--Webhook:Token=a",
            "--Webhook:TokenFile=/nonexistent/token",
            "--Webhook:MaxBodyBytes=0",
            "--Queue:CapacityEvents=-5",
            "--Detection:MaxBufferedRequests=0",
            "--Detection:RememberedRequests=-1",
            "--Sources:Files:Paths:0=/no/such/dir/audit.log");

        Assert.Equal(2, exitCode);
        foreach (var expected in new[]
        {
            "Webhook:Token and Webhook:TokenFile are both set",
            "Webhook:TokenFile: /nonexistent/token does not exist",
            "is https but Webhook:Tls:CertificateFile and Webhook:Tls:KeyFile are not set",
            "Webhook:MaxBodyBytes must be positive",
            "Queue:CapacityEvents must be positive",
            "Detection:MaxBufferedRequests must be positive, not 0",
            "Detection:RememberedRequests must be positive, not -1",
            "Sources:Files:Paths: the directory of /no/such/dir/audit.log does not exist",
        })
        {
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_request_memory_beyond_its_maximum_is_refused_at_start()
    {
        var (exitCode, stderr) = await RunAsync("run", "--Detection:RememberedRequests=100000001");

        Assert.Equal(2, exitCode);
        Assert.Contains("Detection:RememberedRequests must be at most 100000000 (up to 80 bytes each when full), not 100000001", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_limits_that_would_disable_slow_client_protection_are_refused()
    {
        var (exitCode, stderr) = await RunAsync(
            "run",
            "--Webhook:HeadersTimeout=00:00:00",
            "--Webhook:MinBodyBytesPerSecond=0",
            "--Webhook:MinBodyRateGracePeriod=00:00:00.5",
            "--Webhook:MaxConcurrentConnections=-1",
            "--Webhook:MaxRequestHeaderCount=0");

        Assert.Equal(2, exitCode);
        foreach (var expected in new[]
        {
            "Webhook:HeadersTimeout must be positive, not 00:00:00",
            "Webhook:MinBodyBytesPerSecond must be positive, not 0",
            "Webhook:MinBodyRateGracePeriod must be longer than 1 s, not 00:00:00.5000000",
            "Webhook:MaxConcurrentConnections must be positive, not -1",
            "Webhook:MaxRequestHeaderCount must be positive, not 0",
        })
        {
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task File_paths_that_are_globs_directories_or_the_same_file_twice_are_refused()
    {
        var directory = Directory.CreateTempSubdirectory("auditwatch-paths-").FullName;
        try
        {
            var log = Path.Combine(directory, "audit.log");
            await File.WriteAllTextAsync(log, string.Empty);
            File.CreateSymbolicLink(Path.Combine(directory, "link.log"), log);
            Directory.CreateDirectory(Path.Combine(directory, "sub"));

            var (exitCode, stderr) = await RunAsync(
                "run",
                $"--Sources:Files:Paths:0={log}",
                $"--Sources:Files:Paths:1={directory}/sub/../audit.log",
                $"--Sources:Files:Paths:2={directory}/link.log",
                $"--Sources:Files:Paths:3={directory}/*.log",
                $"--Sources:Files:Paths:4={directory}/sub");

            Assert.Equal(2, exitCode);
            foreach (var expected in new[]
            {
                $"Sources:Files:Paths: {directory}/sub/../audit.log is the same file as {log}",
                $"Sources:Files:Paths: {directory}/link.log is the same file as {log}",
                $"Sources:Files:Paths: {directory}/*.log looks like a glob; globs are not expanded, list each file",
                $"Sources:Files:Paths: {directory}/sub is a directory; list each file",
            })
            {
                Assert.Contains(expected, stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_malformed_sink_url_is_reported_without_its_secret_path()
    {
        var (exitCode, stderr) = await RunAsync("run", "--Sinks:Slack:WebhookUrl=htps://hooks.slack.com/services/T0/B0/planted-secret-path");

        Assert.Equal(2, exitCode);
        Assert.Contains("Sinks:Slack:WebhookUrl is not an absolute http(s) URL (scheme 'htps'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("planted-secret-path", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_rules_keep_the_service_from_starting()
    {
        var rules = Directory.CreateTempSubdirectory("auditwatch-badrules-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(rules, "bad.yaml"), "id: x\ntitle: y\nseverity: extreme\n");

            var (exitCode, stderr) = await RunAsync("run", "--rules", rules);

            Assert.Equal(2, exitCode);
            Assert.Contains("bad.yaml:3:11: severity must be one of", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(rules, recursive: true);
        }
    }
}
