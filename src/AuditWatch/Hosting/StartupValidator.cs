using AuditWatch.Detection.Normalize;
using AuditWatch.Ingestion.Sources.Files;
using AuditWatch.Ingestion.Sources.Kafka;
using AuditWatch.Ingestion.Sources.Webhook;

namespace AuditWatch.Hosting;

/// <summary>
/// Checks the whole configuration before anything starts and reports every problem at once, naming the setting.
/// Plain HTTP is allowed on loopback only; any other listener needs TLS and at least one way to authenticate.
/// </summary>
public static class StartupValidator
{
    public static IReadOnlyList<string> Validate(
        IReadOnlyList<ListenAddress> listeners,
        WebhookOptions webhook,
        FileSourceOptions files,
        DetectionSettings detection,
        IngestSettings queue,
        ShutdownSettings shutdown)
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(webhook.Token) && !string.IsNullOrEmpty(webhook.TokenFile))
        {
            errors.Add("Webhook:Token and Webhook:TokenFile are both set; use one");
        }

        RequireFile(errors, "Webhook:TokenFile", webhook.TokenFile);
        RequireFile(errors, "Webhook:ClientCertificateAuthority", webhook.ClientCertificateAuthority);
        RequireFile(errors, "Webhook:Tls:CertificateFile", webhook.Tls.CertificateFile);
        RequireFile(errors, "Webhook:Tls:KeyFile", webhook.Tls.KeyFile);
        if (string.IsNullOrEmpty(webhook.Tls.CertificateFile) != string.IsNullOrEmpty(webhook.Tls.KeyFile))
        {
            errors.Add("Webhook:Tls:CertificateFile and Webhook:Tls:KeyFile go together");
        }

        foreach (var listener in listeners)
        {
            if (listener.Https && !webhook.Tls.IsConfigured)
            {
                errors.Add($"urls: {listener.Url} is https but Webhook:Tls:CertificateFile and Webhook:Tls:KeyFile are not set");
            }

            if (listener.IsLoopback)
            {
                continue;
            }

            if (!listener.Https)
            {
                errors.Add(webhook.HasToken
                    ? $"urls: {listener.Url} is plain HTTP on a non-loopback address: the bearer token would cross the network in clear; use https"
                    : $"urls: {listener.Url} is plain HTTP on a non-loopback address; only loopback may be served without TLS");
            }

            if (!webhook.RequiresAuthentication)
            {
                errors.Add($"urls: {listener.Url} is not loopback, so Webhook:Token, Webhook:TokenFile or Webhook:ClientCertificateAuthority must be set");
            }
        }

        if (webhook.MaxBodyBytes <= 0)
        {
            errors.Add($"Webhook:MaxBodyBytes must be positive, not {webhook.MaxBodyBytes}");
        }

        if (webhook.RetryAfterSeconds <= 0)
        {
            errors.Add($"Webhook:RetryAfterSeconds must be positive, not {webhook.RetryAfterSeconds}");
        }

        ValidateConnectionLimits(errors, webhook);

        if (queue.CapacityEvents <= 0)
        {
            errors.Add($"Queue:CapacityEvents must be positive, not {queue.CapacityEvents}");
        }

        if (detection.AllowedLateness < TimeSpan.Zero)
        {
            errors.Add($"Detection:AllowedLateness must not be negative, not {detection.AllowedLateness}");
        }

        if (detection.IdleTick <= TimeSpan.Zero)
        {
            errors.Add($"Detection:IdleTick must be positive, not {detection.IdleTick}");
        }

        if (detection.MaxGroupsPerRule <= 0)
        {
            errors.Add($"Detection:MaxGroupsPerRule must be positive, not {detection.MaxGroupsPerRule}");
        }

        if (detection.MaxBufferedRequests <= 0)
        {
            errors.Add($"Detection:MaxBufferedRequests must be positive, not {detection.MaxBufferedRequests}");
        }

        if (detection.RememberedRequests <= 0)
        {
            errors.Add($"Detection:RememberedRequests must be positive, not {detection.RememberedRequests}");
        }
        else if (detection.RememberedRequests > RequestCounterOptions.MaxCapacity)
        {
            errors.Add($"Detection:RememberedRequests must be at most {RequestCounterOptions.MaxCapacity} (up to 80 bytes each when full), not {detection.RememberedRequests}");
        }

        if (shutdown.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"Shutdown:Timeout must be positive, not {shutdown.Timeout}");
        }

        ValidateFilePaths(errors, files);

        return errors;
    }

    /// <summary>The scan baseline answers without authentication, so it may only be served on loopback.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<ListenAddress> listeners, BenchmarkSettings benchmark) =>
        benchmark.ScanEndpoint
            ? [.. listeners.Where(l => !l.IsLoopback).Select(l => $"Benchmark:ScanEndpoint is for measurements on loopback only, but urls has {l.Url}")]
            : [];

    public static IReadOnlyList<string> Validate(KafkaOptions kafka)
    {
        var errors = new List<string>();
        if (kafka.Forward && !kafka.Enabled)
        {
            errors.Add("Kafka:Forward needs Kafka:BootstrapServers");
        }

        if (kafka.Enabled && string.IsNullOrWhiteSpace(kafka.Topic))
        {
            errors.Add("Kafka:Topic must be set");
        }

        if (kafka.Enabled && !kafka.Forward && string.IsNullOrWhiteSpace(kafka.GroupId))
        {
            errors.Add("Kafka:GroupId must be set");
        }

        if (kafka.DeadLetterTopic is { } deadLetter && deadLetter == kafka.Topic)
        {
            errors.Add("Kafka:DeadLetterTopic must differ from Kafka:Topic");
        }

        if (kafka.Enabled)
        {
            // librdkafka checks its properties when a client is built (no broker is contacted yet).
            CheckKafkaClient(errors, "Kafka:Consumer", () => new Confluent.Kafka.ConsumerBuilder<byte[], byte[]>(KafkaClientConfig.Consumer(kafka)).SetLogHandler((_, _) => { }).Build().Dispose());
            CheckKafkaClient(errors, "Kafka:Producer", () => new Confluent.Kafka.ProducerBuilder<byte[], byte[]>(KafkaClientConfig.Producer(kafka)).SetLogHandler((_, _) => { }).Build().Dispose());
        }

        return errors;
    }

    private static void CheckKafkaClient(List<string> errors, string setting, Action build)
    {
        try
        {
            build();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Confluent.Kafka.KafkaException)
        {
            errors.Add($"{setting}: {ex.Message}");
        }
    }

    private static void RequireFile(List<string> errors, string setting, string? path)
    {
        if (!string.IsNullOrEmpty(path) && !File.Exists(path))
        {
            errors.Add($"{setting}: {path} does not exist");
        }
    }

    private static void ValidateConnectionLimits(List<string> errors, WebhookOptions webhook)
    {
        void Positive(string name, double value, string shown)
        {
            if (!(value > 0) || !double.IsFinite(value))
            {
                errors.Add($"Webhook:{name} must be positive, not {shown}");
            }
        }

        Positive(nameof(webhook.HeadersTimeout), webhook.HeadersTimeout.TotalSeconds, webhook.HeadersTimeout.ToString());
        Positive(nameof(webhook.MinBodyBytesPerSecond), webhook.MinBodyBytesPerSecond, webhook.MinBodyBytesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Positive(nameof(webhook.KeepAliveTimeout), webhook.KeepAliveTimeout.TotalSeconds, webhook.KeepAliveTimeout.ToString());
        Positive(nameof(webhook.MaxConcurrentConnections), webhook.MaxConcurrentConnections, webhook.MaxConcurrentConnections.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Positive(nameof(webhook.MaxRequestHeaderCount), webhook.MaxRequestHeaderCount, webhook.MaxRequestHeaderCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Positive(nameof(webhook.MaxRequestHeadersBytes), webhook.MaxRequestHeadersBytes, webhook.MaxRequestHeadersBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (webhook.MinBodyRateGracePeriod <= TimeSpan.FromSeconds(1))
        {
            // Kestrel checks data rates once a second and refuses a shorter grace period.
            errors.Add($"Webhook:MinBodyRateGracePeriod must be longer than 1 s, not {webhook.MinBodyRateGracePeriod}");
        }
    }

    /// <summary>
    /// Each path names one file, once: globs are not expanded (a literal '*' file is almost always a mistake), and
    /// the same file reached twice through '..' or a symbolic link would count every event twice.
    /// </summary>
    private static void ValidateFilePaths(List<string> errors, FileSourceOptions files)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in files.Paths)
        {
            if (path.IndexOfAny(['*', '?', '[']) >= 0)
            {
                errors.Add($"Sources:Files:Paths: {path} looks like a glob; globs are not expanded, list each file");
                continue;
            }

            var full = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(full);
            if (directory is null || !Directory.Exists(directory))
            {
                errors.Add($"Sources:Files:Paths: the directory of {path} does not exist");
                continue;
            }

            if (Directory.Exists(full))
            {
                errors.Add($"Sources:Files:Paths: {path} is a directory; list each file");
                continue;
            }

            var target = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full : full;
            if (!seen.TryAdd(target, path))
            {
                errors.Add($"Sources:Files:Paths: {path} is the same file as {seen[target]}");
            }
        }
    }
}
