using Microsoft.Extensions.Configuration;

namespace AuditWatch.Hosting;

/// <summary>The service's configuration sources, for verbs that act on its settings without running it.</summary>
public static class ServiceConfiguration
{
    public static IConfiguration Build(IReadOnlyList<string> args) => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine([.. args])
        .Build();

    public static string DataDirectory(IConfiguration configuration) => configuration["Detection:DataDirectory"] ?? new DetectionSettings().DataDirectory;
}
